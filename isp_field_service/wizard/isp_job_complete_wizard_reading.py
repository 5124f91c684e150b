from odoo import fields, models


class IspJobCompleteWizardReading(models.TransientModel):
    """The optical reading of one installed serial, when a job installs several."""

    _name = "isp.job.complete.wizard.reading"
    _description = "Complete Field Job: Reading per Serial"
    _check_company_auto = True

    wizard_id = fields.Many2one("isp.job.complete.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id", store=True)
    lot_id = fields.Many2one("stock.lot", string="Serial", required=True, check_company=True)
    rx_power_dbm = fields.Float(
        string="Rx Power (dBm)", digits=(6, 2), help="Measured at this ONT, e.g. -19.5."
    )
    olt_port = fields.Char(string="OLT/PON Port", help="e.g. OLT-WSTL-01 0/1/3")

    def _prepare_lot_value(self):
        """The serial as sent in a line's ``lots``: with its reading, if it has one."""
        self.ensure_one()
        if not (self.rx_power_dbm or self.olt_port):
            return self.lot_id.id
        value = {"lot": self.lot_id.id}
        if self.rx_power_dbm:
            value["rx_power_dbm"] = self.rx_power_dbm
        if self.olt_port:
            value["olt_port"] = self.olt_port
        return value
