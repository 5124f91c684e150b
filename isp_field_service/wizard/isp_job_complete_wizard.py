from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class IspJobCompleteWizard(models.TransientModel):
    """Phone screen to complete a job: collects the input, then calls
    `project.task.action_isp_complete` (the business rule lives there)."""

    _name = "isp.job.complete.wizard"
    _description = "Complete Field Job"
    _check_company_auto = True

    task_id = fields.Many2one("project.task", required=True, readonly=True)
    company_id = fields.Many2one(related="task_id.isp_technician_id.company_id", store=True)
    partner_id = fields.Many2one(related="task_id.partner_id")
    van_id = fields.Many2one(related="task_id.isp_technician_id.vehicle_location_id")
    line_ids = fields.One2many("isp.job.complete.wizard.line", "wizard_id", string="Materials Used")
    installed_lot_ids = fields.Many2many(
        "stock.lot",
        "isp_job_complete_wizard_installed_rel",
        string="Serials Installed",
        check_company=True,
        domain="[('location_id', '=', van_id)]",
        help="Scan or type the serial of each device installed.",
    )
    leftover = fields.Selection(
        [("carry", "Keep in van"), ("return", "Return to branch")],
        string="Leftovers",
        default="carry",
        required=True,
    )
    removed_lot_ids = fields.Many2many(
        "stock.lot",
        "isp_job_complete_wizard_removed_rel",
        string="Equipment Removed",
        check_company=True,
        domain="[('isp_customer_id', '=', partner_id)]",
    )
    removed_faulty = fields.Boolean(string="Removed Equipment Is Faulty")
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    rx_power_dbm = fields.Float(
        string="Rx Power (dBm)", digits=(6, 2), help="Measured at the installed ONT, e.g. -19.5."
    )
    olt_port = fields.Char(string="OLT/PON Port", help="e.g. OLT-WSTL-01 0/1/3")
    reading_ids = fields.One2many(
        "isp.job.complete.wizard.reading",
        "wizard_id",
        string="Reading per Serial",
        help="When several serials are installed: each one's Rx power and OLT/PON port "
        "(a serial without a reading gets the job's, if any).",
    )
    several_serials = fields.Boolean(compute="_compute_several_serials")
    has_spool = fields.Boolean(
        compute="_compute_has_spool", help="A material is cable cut from a spool."
    )
    photo_ids = fields.Many2many("ir.attachment", string="Photos")
    signature = fields.Binary(string="Customer Signature")
    missing_serials = fields.Char(
        compute="_compute_missing_serials",
        help="The planned serial-tracked items with fewer serials scanned than planned.",
    )
    missing_serial_reason = fields.Text(
        string="Why Fewer Serials",
        help="Required when a planned device (ONT, router...) was not installed, or "
        "installed without its serial scanned; recorded on the job.",
    )

    @api.depends("line_ids.is_spool")
    def _compute_has_spool(self):
        for wizard in self:
            wizard.has_spool = any(wizard.line_ids.mapped("is_spool"))

    @api.depends("installed_lot_ids")
    def _compute_several_serials(self):
        for wizard in self:
            wizard.several_serials = len(wizard.installed_lot_ids) > 1

    @api.onchange("installed_lot_ids")
    def _onchange_installed_lot_ids(self):
        """A serial-tracked line shows how many of its serials are scanned (the serials
        are what is sent; its quantity is not). With several serials scanned, each gets
        a reading line (the readings already entered are kept; a new one starts from the
        job-level reading)."""
        for line in self.line_ids.filtered(lambda line: line.tracking == "serial"):
            lots = self.installed_lot_ids.filtered(
                lambda lot, p=line.product_id: lot.product_id == p
            )
            line.qty_used = len(lots)
        kept = {reading.lot_id._origin: reading for reading in self.reading_ids}
        lots = self.installed_lot_ids._origin if len(self.installed_lot_ids) > 1 else []
        commands = [Command.clear()]
        for lot in lots:
            reading = kept.get(lot)
            commands.append(
                Command.create(
                    {
                        "lot_id": lot.id,
                        # a new serial starts from the job's reading, if one was typed
                        "rx_power_dbm": reading.rx_power_dbm if reading else self.rx_power_dbm,
                        "olt_port": reading.olt_port if reading else self.olt_port,
                    }
                )
            )
        self.reading_ids = commands

    @api.depends("line_ids.material_id", "installed_lot_ids")
    def _compute_missing_serials(self):
        for wizard in self:
            wizard.missing_serials = ", ".join(
                f"{product.display_name} ({scanned:g}/{planned:g})"
                for product, planned, scanned in wizard._missing_serials()
            )

    def _missing_serials(self):
        """[(product, planned, scanned)] of the planned serial-tracked materials with
        fewer serials scanned than planned."""
        self.ensure_one()
        planned = {}
        for line in self.line_ids.filtered(lambda line: line.tracking == "serial"):
            product = line.material_id.product_id
            quantity = line.material_id.product_qty
            planned[product] = planned.get(product, 0.0) + quantity
        missing = []
        for product, quantity in planned.items():
            scanned = len(
                self.installed_lot_ids.filtered(lambda lot, p=product: lot.product_id == p)
            )
            if product.uom_id.compare(scanned, quantity) < 0:
                missing.append((product, quantity, scanned))
        return missing

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        task = self.env["project.task"].browse(values.get("task_id"))
        if task and "line_ids" in fields_list:
            Line = self.env["isp.job.complete.wizard.line"]
            values["line_ids"] = [
                Command.create(
                    {
                        "material_id": material.id,
                        "qty_used": 0.0
                        if material.product_id.tracking == "serial"
                        else material.product_uom_qty,
                        "lot_id": Line._default_spool(
                            material.product_id, task.isp_technician_id.vehicle_location_id
                        ).id,
                    }
                )
                for material in task._isp_open_materials()
            ]
        return values

    def action_confirm(self):
        self.ensure_one()
        missing = self._missing_serials()
        reason = (self.missing_serial_reason or "").strip()
        if missing and not reason:
            raise UserError(
                self.env._(
                    "Scan the serial of each device installed, or say why fewer were "
                    "installed than planned: %(products)s.",
                    products=self.missing_serials,
                )
            )
        self.task_id.action_isp_complete(self._prepare_values())
        return {"type": "ir.actions.act_window_close"}

    def _prepare_line_values(self):
        """Used quantities of the non-serial lines; serials grouped by product."""
        values = [line._prepare_values() for line in self.line_ids if line.tracking != "serial"]
        for product in (
            self.installed_lot_ids.product_id
            | self.line_ids.filtered(lambda line: line.tracking == "serial").product_id
        ):
            material = self.line_ids.material_id.filtered(lambda m, p=product: m.product_id == p)[
                :1
            ]
            key = {"material_id": material.id} if material else {"product_id": product.id}
            lots = self.installed_lot_ids.filtered(lambda lot, p=product: lot.product_id == p)
            readings = {reading.lot_id: reading for reading in self.reading_ids}
            values.append(
                dict(
                    key,
                    lots=[
                        readings[lot]._prepare_lot_value() if lot in readings else lot.id
                        for lot in lots
                    ],
                )
            )
        return values

    def _prepare_values(self):
        return {
            "lines": self._prepare_line_values(),
            "leftover": self.leftover,
            "removed": [
                {"lot": lot.id, "faulty": self.removed_faulty} for lot in self.removed_lot_ids
            ],
            "latitude": self.latitude,
            "longitude": self.longitude,
            "signature": self.signature,
            "attachment_ids": self.photo_ids.ids,
            "rx_power_dbm": self.rx_power_dbm or None,
            "olt_port": self.olt_port or None,
            # why planned devices got no serial: required and logged on the job by the
            # completion itself (the wizard only asks for it up front)
            "no_serial_reason": (self.missing_serial_reason or "").strip() or None,
        }
