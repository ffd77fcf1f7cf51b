package dev.tollgate.gateway.docs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Short, memorable addresses for the API docs. The document itself is {@code META-INF/openapi.yaml} (written as the
 * contract), served by SmallRye OpenAPI at {@code /q/openapi}; the Swagger UI bundled with it is at
 * {@code /q/swagger-ui}. These only redirect there (relative {@code Location}, so they work behind any host name).
 */
@Path("/")
public class ApiDocsResource {

    static final String SWAGGER_UI = "/q/swagger-ui/";
    static final String OPENAPI_JSON = "/q/openapi.json";
    static final String OPENAPI_YAML = "/q/openapi.yaml";

    @GET
    @Path("docs")
    @Operation(hidden = true)
    public Response docs() {
        return redirect(SWAGGER_UI);
    }

    @GET
    @Path("openapi.json")
    @Operation(hidden = true)
    public Response openApiJson() {
        return redirect(OPENAPI_JSON);
    }

    @GET
    @Path("openapi.yaml")
    @Operation(hidden = true)
    public Response openApiYaml() {
        return redirect(OPENAPI_YAML);
    }

    private static Response redirect(String location) {
        return Response.status(Response.Status.FOUND).header(HttpHeaders.LOCATION, location).build();
    }
}
