package dev.tollgate.catalog.products;

/**
 * Fired (synchronously, as a CDI event) after an admin changed or retired a product, so that what keeps copies of
 * its name or status (the budgets' product pairs) follows before the admin gets the answer. An event rather than a
 * call: products know nothing of budgets.
 */
public record ProductChanged(Product product) {
}
