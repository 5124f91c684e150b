def migrate(cr, version):
    """Audits started before blind audits existed were counted with the expected
    quantities shown: they count as submitted (`date_counted`), so they stay as they
    were (expected quantities and variances visible). Their counted quantities are
    final from now on: cancel one and audit again to recount. Draft audits have no
    lines yet and are blind when started."""
    if not version:
        return
    cr.execute(
        """
        UPDATE isp_stock_count
           SET date_counted = COALESCE(date_done, write_date, create_date)
         WHERE kind = 'audit' AND state != 'draft' AND date_counted IS NULL
        """
    )
