package dev.tollgate.catalog.fetch;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.catalog.products.ToolView;

/**
 * The answer of {@code GET /products/fetch}, in the contract's order: the page of tools with the prose and example an
 * LLM needs to use them, and the paging told twice (as {@code details}, in words, and as {@code pagination}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProductFetchAnswer(boolean success, String instanceId, Details details, String preprompt,
        List<ToolView> tools, Pagination pagination, String exampleToolCall) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Details(int toolsOnThisPage, long totalQualifiedTools, int pageReturned, int pageSizeRequested,
            String pageSource, String pageSizeSource, int totalPages, boolean hasNextPage, boolean hasPreviousPage) {

        static Details of(Paging paging, int onThisPage, long total) {
            int pages = paging.totalPages(total);
            return new Details(onThisPage, total, paging.page(), paging.pageSize(), paging.pageSource(),
                    paging.pageSizeSource(), pages, paging.page() < pages, paging.page() > 1);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pagination(int page, int pageSize, long totalCount, int totalPages, boolean hasNext,
            boolean hasPrev) {

        static Pagination of(Paging paging, long total) {
            int pages = paging.totalPages(total);
            return new Pagination(paging.page(), paging.pageSize(), total, pages, paging.page() < pages,
                    paging.page() > 1);
        }
    }
}
