package dev.tollgate.e2e.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The comparison itself, on small documents: what it must report and what it must let pass. */
class SchemaConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaConformance.Operation GET_RUN = new SchemaConformance.Operation("get", "/runs/{runId}");

    private static JsonNode document(String answerSchema) throws Exception {
        return JSON.readTree("""
                {"paths": {"/runs/{runId}": {"get": {"responses": {"200": {"content": {"application/json":
                  {"schema": %s}}}}}}},
                 "components": {"schemas": {
                   "Run": {"type": "object", "properties": {"run_id": {"type": "string"}, "attempts": {"type": "integer"}}},
                   "Envelope": {"type": "object", "properties": {"success": {"type": "boolean"}, "data": {"$ref": "#/components/schemas/Run"}}}
                 }}}""".formatted(answerSchema));
    }

    private static List<String> differences(String documented, String generated) throws Exception {
        SchemaConformance check = new SchemaConformance(document(documented), document(generated));
        JsonNode op = check.generatedOperation(GET_RUN).orElseThrow();
        return check.differences(GET_RUN, op);
    }

    @Test
    void theSameFieldsThroughReferencesAndAllOfAreNoDifference() throws Exception {
        assertEquals(List.of(), differences("{\"$ref\": \"#/components/schemas/Envelope\"}",
                "{\"allOf\": [{\"type\": \"object\", \"properties\": {\"success\": {\"type\": \"boolean\"}}},"
                        + " {\"type\": \"object\", \"properties\": {\"data\": {\"$ref\": \"#/components/schemas/Run\"}}}]}"));
    }

    @Test
    void aFieldOnOneSideOnlyIsReportedWithItsPath() throws Exception {
        List<String> found = differences("{\"$ref\": \"#/components/schemas/Envelope\"}",
                "{\"type\": \"object\", \"properties\": {\"success\": {\"type\": \"boolean\"}, \"data\": {\"type\": \"object\","
                        + " \"properties\": {\"run_id\": {\"type\": \"string\"}, \"status\": {\"type\": \"string\"}}}}}");
        assertEquals(List.of("GET /runs/{} 200.data.attempts: documented, not in the type",
                "GET /runs/{} 200.data.status: in the type, not documented"), found);
    }

    @Test
    void aNumberDocumentedAsAStringIsReported() throws Exception {
        List<String> found = differences("{\"type\": \"object\", \"properties\": {\"attempts\": {\"type\": \"string\"}}}",
                "{\"type\": \"object\", \"properties\": {\"attempts\": {\"type\": [\"integer\", \"null\"]}}}");
        assertEquals(List.of("GET /runs/{} 200.attempts: documented string, the type says integer"), found);
    }

    @Test
    void anUntypedAnswerCannotBeCheckedAndSaysSo() throws Exception {
        SchemaConformance check = new SchemaConformance(document("{\"$ref\": \"#/components/schemas/Run\"}"),
                JSON.readTree("{\"paths\": {\"/runs/{id}\": {\"get\": {\"responses\": {\"200\": {}}}}}}"));
        List<String> found = check.differences(GET_RUN, check.generatedOperation(GET_RUN).orElseThrow());
        assertEquals(1, found.size());
        assertTrue(found.getFirst().contains("does not declare the answer's type"), found.getFirst());
    }

    @Test
    void freeFormValuesAreNotHeldToFields() throws Exception {
        assertEquals(List.of(), differences("{\"type\": \"object\", \"properties\": {\"metadata\": {}}}",
                "{\"type\": \"object\", \"properties\": {\"metadata\": {\"type\": \"object\", \"properties\": {\"x\": {}}}}}"));
    }

    @Test
    void everyTypedAlternativeMustHaveTheFieldsOfTheOneDocumentedObject() throws Exception {
        String documented = "{\"type\": \"object\", \"additionalProperties\": true, \"properties\":"
                + " {\"id\": {\"type\": \"string\"}, \"type\": {\"type\": \"string\"}}}";
        String alternatives = "{\"oneOf\": [{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"},"
                + " \"type\": {\"type\": \"string\"}, \"template\": {\"type\": \"string\"}}},"
                + " {\"type\": \"object\", \"properties\": {\"type\": {\"type\": \"string\"}, \"model\": {\"type\": \"string\"}}}]}";
        assertEquals(List.of("GET /runs/{} 200<1>.id: documented, not in the type"), differences(documented,
                alternatives));
    }

    @Test
    void aFieldBeyondAnOpenObjectsDocumentedOnesIsNoDifference() throws Exception {
        assertEquals(List.of(), differences("{\"type\": \"object\", \"additionalProperties\": true, \"properties\":"
                + " {\"id\": {\"type\": \"string\"}}}", "{\"type\": \"object\", \"properties\": {\"id\":"
                + " {\"type\": \"string\"}, \"more\": {\"type\": \"string\"}}}"));
    }
}
