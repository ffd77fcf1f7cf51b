package dev.tollgate.gateway.docs;

import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The API docs at short, memorable addresses. The document itself is {@code META-INF/openapi.yaml} (written as the
 * contract), which SmallRye OpenAPI serves at {@code /q/openapi}; {@code /openapi.json} and {@code /openapi.yaml}
 * answer that same document directly (200, no redirect: generators and tools that do not follow redirects read it
 * where the README says), and {@code /docs} redirects to the Swagger UI bundled with it (relative {@code Location}, so
 * it works behind any host name).
 */
@Path("/")
public class ApiDocsResource {

    static final String SWAGGER_UI = "/q/swagger-ui/";
    /** SmallRye's name for the one document a Quarkus application serves unless it declares more. */
    static final String DOCUMENT = "<default>";

    private final OpenApiDocumentService documents;

    public ApiDocsResource(OpenApiDocumentService documents) {
        this.documents = documents;
    }

    @GET
    @Path("docs")
    @Operation(hidden = true)
    public Response docs() {
        return Response.status(Response.Status.FOUND).header(HttpHeaders.LOCATION, SWAGGER_UI).build();
    }

    @GET
    @Path("openapi.json")
    @Produces("application/json;charset=UTF-8")
    @Operation(hidden = true)
    @Blocking
    public byte[] openApiJson() {
        return documents.getDocument(DOCUMENT, Format.JSON);
    }

    @GET
    @Path("openapi.yaml")
    @Produces("application/yaml;charset=UTF-8")
    @Operation(hidden = true)
    @Blocking
    public byte[] openApiYaml() {
        return documents.getDocument(DOCUMENT, Format.YAML);
    }
}
