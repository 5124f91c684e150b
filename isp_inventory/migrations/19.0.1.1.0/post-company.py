"""Company isolation (19.0.1.1.0): loss report items got a stored company_id (that of
their report). Fill it for the items that existed before the upgrade."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE isp_loss_report_line line
           SET company_id = report.company_id
          FROM isp_loss_report report
         WHERE report.id = line.report_id
           AND line.company_id IS DISTINCT FROM report.company_id
        """
    )
