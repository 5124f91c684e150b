def migrate(cr, version):
    """Blind audits: the expected quantity of a count line is now kept in the new
    column `snapshot_qty` (readable by approvers and managers only) and `expected_qty`
    derives from it. Copy it before the ORM creates the column, which would otherwise
    compute it from today's stock."""
    if not version:
        return
    cr.execute("ALTER TABLE isp_stock_count_line ADD COLUMN IF NOT EXISTS snapshot_qty numeric")
    cr.execute(
        "UPDATE isp_stock_count_line SET snapshot_qty = expected_qty WHERE snapshot_qty IS NULL"
    )
