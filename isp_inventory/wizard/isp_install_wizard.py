from odoo import fields, models


class IspInstallWizard(models.TransientModel):
    """Install a serial at a customer without a job (walk-in customer, back office)."""

    _name = "isp.install.wizard"
    _description = "Install a Serial at a Customer"
    _check_company_auto = True

    technician_id = fields.Many2one(
        "isp.technician",
        required=True,
        default=lambda self: self.env["isp.technician"]._isp_of_current_user(),
    )
    company_id = fields.Many2one(related="technician_id.company_id", store=True)
    vehicle_location_id = fields.Many2one(related="technician_id.vehicle_location_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    product_id = fields.Many2one(
        "product.product", domain="[('tracking', '=', 'serial'), ('isp_item_class', '!=', False)]"
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        check_company=True,
        domain="[('location_id', '=', vehicle_location_id)]"
        " + ([('product_id', '=', product_id)] if product_id else [])",
    )
    installed_date = fields.Datetime(
        string="Installed On", required=True, default=fields.Datetime.now
    )
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    rx_power_dbm = fields.Float(
        string="Rx Power (dBm)", digits=(6, 2), help="Measured at the ONT, e.g. -19.5."
    )
    olt_port = fields.Char(string="OLT/PON Port", help="e.g. OLT-WSTL-01 0/1/3")

    def action_install(self):
        self.ensure_one()
        self.lot_id._isp_install(
            self.technician_id,
            self.partner_id,
            latitude=self.latitude,
            longitude=self.longitude,
            installed_date=self.installed_date,
            product=self.product_id,
            rx_power_dbm=self.rx_power_dbm or None,
            olt_port=self.olt_port or None,
        )
        return self.lot_id._get_records_action()
