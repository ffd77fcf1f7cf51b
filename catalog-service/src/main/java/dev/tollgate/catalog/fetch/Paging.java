package dev.tollgate.catalog.fetch;

import java.util.List;
import java.util.Map;

import dev.tollgate.http.ValidationProblem;
import dev.tollgate.http.ValidationProblem.FieldError;

/**
 * Which page the caller asked for, from the query string or the {@code X-Page}/{@code X-Page-Size} headers (a
 * header wins), and where each value came from.
 */
public record Paging(int page, int pageSize, String pageSource, String pageSizeSource) {

    public static Paging of(String queryPage, String headerPage, String queryPageSize, String headerPageSize,
            int defaultPageSize, int maxPageSize) {
        String pageSource = headerPage != null ? "header" : "query";
        String sizeSource = headerPageSize != null ? "header" : "query";
        int page = parse(headerPage != null ? headerPage : queryPage, 1, 1, Integer.MAX_VALUE,
                headerPage != null ? List.of("header", "x-page") : List.of("query", "page"));
        int size = parse(headerPageSize != null ? headerPageSize : queryPageSize, defaultPageSize, 1, maxPageSize,
                headerPageSize != null ? List.of("header", "x-page-size") : List.of("query", "page_size"));
        return new Paging(page, size, pageSource, sizeSource);
    }

    private static int parse(String raw, int fallback, int min, int max, List<Object> loc) {
        if (raw == null) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ValidationProblem(List.of(FieldError.of(loc,
                    "Input should be a valid integer, unable to parse string as an integer", "int_parsing", raw)));
        }
        if (value < min) {
            throw new ValidationProblem(List.of(new FieldError(loc, "Input should be greater than or equal to " + min,
                    "greater_than_equal", raw, Map.of("ge", min))));
        }
        if (value > max) {
            throw new ValidationProblem(List.of(new FieldError(loc, "Input should be less than or equal to " + max,
                    "less_than_equal", raw, Map.of("le", max))));
        }
        return value;
    }

    public int totalPages(long total) {
        return (int) ((total + pageSize - 1) / pageSize);
    }
}
