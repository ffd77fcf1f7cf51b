package dev.tollgate.catalog.fetch;

import java.util.List;

import dev.tollgate.platform.web.RequestFields;

/**
 * Which page the caller asked for, from the query string or the {@code X-Page}/{@code X-Page-Size} headers (a
 * header wins), and where each value came from.
 */
public record Paging(int page, int pageSize, String pageSource, String pageSizeSource) {

    public static Paging of(String queryPage, String headerPage, String queryPageSize, String headerPageSize,
            int defaultPageSize, int maxPageSize) {
        String pageSource = headerPage != null ? "header" : "query";
        String sizeSource = headerPageSize != null ? "header" : "query";
        int page = RequestFields.boundedInt(headerPage != null ? List.of("header", "x-page") : List.of("query", "page"),
                headerPage != null ? headerPage : queryPage, 1, 1, Integer.MAX_VALUE);
        int size = RequestFields.boundedInt(
                headerPageSize != null ? List.of("header", "x-page-size") : List.of("query", "page_size"),
                headerPageSize != null ? headerPageSize : queryPageSize, defaultPageSize, 1, maxPageSize);
        return new Paging(page, size, pageSource, sizeSource);
    }

    public int totalPages(long total) {
        return (int) ((total + pageSize - 1) / pageSize);
    }
}
