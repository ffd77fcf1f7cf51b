package dev.tollgate.catalog.fetch;

import java.util.List;

import dev.tollgate.catalog.budgets.Budget;
import dev.tollgate.catalog.budgets.BudgetProductRepository;
import dev.tollgate.catalog.budgets.BudgetService;
import dev.tollgate.catalog.products.ProductRepository;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The tools a caller may buy, a page at a time: the active products its budget enables, in name order. A token whose
 * budget is missing or belongs to someone else sees no tools (not an error: an agent without tools still works).
 */
@ApplicationScoped
public class ProductFetchService {

    private final BudgetService budgets;
    private final BudgetProductRepository budgetProducts;
    private final ProductRepository products;

    public ProductFetchService(BudgetService budgets, BudgetProductRepository budgetProducts,
            ProductRepository products) {
        this.budgets = budgets;
        this.budgetProducts = budgetProducts;
        this.products = products;
    }

    public ProductRepository.Page page(String userId, String budgetId, Paging paging) {
        Budget budget = budgets.lookup(budgetId).filter(b -> b.ownerUserId.equals(userId)).orElse(null);
        if (budget == null) {
            return new ProductRepository.Page(List.of(), 0);
        }
        BudgetProductRepository.Page ids = budgetProducts.activePage(budget.id.toHexString(), paging.page(),
                paging.pageSize());
        return new ProductRepository.Page(products.activeInOrder(ids.productIds()), ids.total());
    }
}
