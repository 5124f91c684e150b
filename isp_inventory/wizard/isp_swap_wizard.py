from odoo import api, fields, models
from odoo.exceptions import UserError


class IspSwapWizard(models.TransientModel):
    """Swap a faulty CPE at a customer for a unit from the technician's van, in one step:
    collects the input, then calls `stock.lot._isp_swap` (the rule lives there)."""

    _name = "isp.swap.wizard"
    _description = "Swap a Faulty CPE"
    _check_company_auto = True

    technician_id = fields.Many2one(
        "isp.technician",
        required=True,
        default=lambda self: self.env["isp.technician"]._isp_of_current_user(),
    )
    company_id = fields.Many2one(related="technician_id.company_id", store=True)
    vehicle_location_id = fields.Many2one(related="technician_id.vehicle_location_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    old_lot_id = fields.Many2one(
        "stock.lot",
        string="Faulty Serial",
        required=True,
        check_company=True,
        domain="[('isp_state', '=', 'installed')]"
        " + ([('isp_customer_id', '=', partner_id)] if partner_id else [])",
        help="The unit installed at the customer (scanning it first fills the customer); "
        "it goes to the branch quarantine.",
    )
    new_lot_id = fields.Many2one(
        "stock.lot",
        string="New Serial",
        required=True,
        check_company=True,
        domain="[('location_id', '=', vehicle_location_id),"
        " ('product_id.tracking', '=', 'serial')]",
        help="A unit from the technician's van, installed in its place.",
    )
    reason = fields.Char(help="Why the unit is faulty; logged on both serials.")
    latitude = fields.Float(digits=(10, 7), help="Empty: the old unit's position.")
    longitude = fields.Float(digits=(10, 7))
    rx_power_dbm = fields.Float(
        string="Rx Power (dBm)", digits=(6, 2), help="Measured at the new ONT, e.g. -19.5."
    )
    olt_port = fields.Char(string="OLT/PON Port", help="Empty: the old unit's port.")

    @api.onchange("old_lot_id")
    def _onchange_old_lot_id(self):
        lot = self.old_lot_id
        if not lot:
            return
        if lot.isp_customer_id and not self.partner_id:
            self.partner_id = lot.isp_customer_id
        if not (self.latitude or self.longitude):
            self.latitude, self.longitude = lot.isp_latitude, lot.isp_longitude
        if not self.olt_port:
            self.olt_port = lot.isp_olt_port

    def action_swap(self):
        self.ensure_one()
        if self.old_lot_id.isp_customer_id != self.partner_id:
            raise UserError(
                self.env._(
                    "Serial %(lot)s is not installed at %(customer)s.",
                    lot=self.old_lot_id.name,
                    customer=self.partner_id.display_name,
                )
            )
        given_position = bool(self.latitude or self.longitude)
        self.old_lot_id._isp_swap(
            self.new_lot_id,
            self.technician_id,
            reason=self.reason or None,
            latitude=self.latitude if given_position else None,
            longitude=self.longitude if given_position else None,
            rx_power_dbm=self.rx_power_dbm or None,
            olt_port=self.olt_port or None,
        )
        return self.new_lot_id._get_records_action()
