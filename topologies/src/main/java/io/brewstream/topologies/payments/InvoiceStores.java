package io.brewstream.topologies.payments;

/** The invoice topology's stores. */
public final class InvoiceStores {
    /** Every invoice, by invoice id, in its shop's task. */
    public static final String INVOICES = "invoices";
    /** Open orders, by order id, to price invoice requests from (a closed one is deleted). */
    public static final String ORDERS = "invoice-orders";
    /** Requests that came before their order was priced (or visible), keyed orderId|invoiceId. */
    public static final String PENDING = "invoice-requests-pending";
    /** NEW invoices by expiry ({@code DeadlineKeys}), so the clock finds the expired ones without a full scan. */
    public static final String EXPIRIES = "invoice-expiries";
    /** Each shop's next deposit address index, so no address is used twice. */
    public static final String ADDRESS_INDEX = "invoice-address-index";

    private InvoiceStores() {
    }
}
