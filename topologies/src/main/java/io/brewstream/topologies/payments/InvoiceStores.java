package io.brewstream.topologies.payments;

/** The invoice topology's stores. */
public final class InvoiceStores {
    /** Every invoice, by invoice id, in its shop's task. */
    public static final String INVOICES = "invoices";
    /** Each shop's next deposit address index, so no address is used twice. */
    public static final String ADDRESS_INDEX = "invoice-address-index";

    private InvoiceStores() {
    }
}
