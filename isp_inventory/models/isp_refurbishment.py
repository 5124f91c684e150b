from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .stock_lot import REFURB_GRADES

# The checklist of a refurbishment: (field of isp.refurbishment, requirement field of
# product.category). Which items must be ticked before grading comes from the category.
REFURB_CHECKLIST = (
    ("factory_reset", "isp_refurb_require_factory_reset"),
    ("cleaned", "isp_refurb_require_cleaned"),
    ("power_on_test", "isp_refurb_require_power_on_test"),
    ("firmware_noted", "isp_refurb_require_firmware_noted"),
    ("accessories_complete", "isp_refurb_require_accessories_complete"),
)
# Grades that send the unit back to the branch stock, reissuable.
REISSUABLE_GRADES = ("a", "b")
# Scrap is decided on a unit that may not even power on: no checklist needed.
CHECKLIST_GRADES = ("a", "b", "c")


class IspRefurbishment(models.Model):
    """One unit of CPE (or other serial-tracked equipment) taken back from a churned or
    upgraded customer, in a branch refurbishment location, until a storekeeper has run
    the checklist of its product category and graded it:

    - A or B: an internal transfer back to the branch stock (the ISP transfer builder);
      the serial's refurbishment count goes up and its grade is recorded;
    - C: a repair order (the repair flow of faulty returns), out of the refurbishment
      location and back to stock once repaired;
    - scrap: a stock.scrap from the refurbishment location (disposed).

    Opened by the stock layer (stock.move.line._action_done) when a serial arrives in
    the refurbishment location; never created by users. The serial, location, branch,
    company, grade and grader are server-set; a graded refurbishment is done and locked
    (isp.done.lock.mixin)."""

    _name = "isp.refurbishment"
    _description = "CPE Refurbishment"
    _inherit = ["mail.thread", "isp.server.fields.mixin", "isp.done.lock.mixin"]
    _order = "state desc, id desc"
    _check_company_auto = True
    _isp_server_fields = (
        "lot_id",
        "product_id",
        "warehouse_id",
        "location_id",
        "company_id",
        "grade",
        "state",
        "graded_by_id",
        "date_graded",
        "picking_id",
        "repair_id",
        "scrap_id",
    )

    name = fields.Char(related="lot_id.name", string="Serial", store=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, index=True, check_company=True
    )
    categ_id = fields.Many2one(related="product_id.categ_id", string="Product Category")
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Branch",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    location_id = fields.Many2one(
        "stock.location", required=True, readonly=True, check_company=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date_received = fields.Datetime(string="Received On", readonly=True)
    origin = fields.Char(string="Source Document", readonly=True)

    # The checklist, ticked by the storekeeper while pending.
    factory_reset = fields.Boolean(tracking=True)
    cleaned = fields.Boolean(tracking=True)
    power_on_test = fields.Boolean(string="Power-on Test", tracking=True)
    firmware_noted = fields.Boolean(tracking=True)
    firmware_version = fields.Char(tracking=True)
    accessories_complete = fields.Boolean(tracking=True)
    note = fields.Text()
    # What the category requires (for the form).
    require_factory_reset = fields.Boolean(related="categ_id.isp_refurb_require_factory_reset")
    require_cleaned = fields.Boolean(related="categ_id.isp_refurb_require_cleaned")
    require_power_on_test = fields.Boolean(related="categ_id.isp_refurb_require_power_on_test")
    require_firmware_noted = fields.Boolean(related="categ_id.isp_refurb_require_firmware_noted")
    require_accessories_complete = fields.Boolean(
        related="categ_id.isp_refurb_require_accessories_complete"
    )

    grade = fields.Selection(REFURB_GRADES, readonly=True, tracking=True, index=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Graded")],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    graded_by_id = fields.Many2one("res.users", readonly=True)
    date_graded = fields.Datetime(string="Graded On", readonly=True, index=True)
    picking_id = fields.Many2one(
        "stock.picking", string="Return to Stock", readonly=True, check_company=True
    )
    repair_id = fields.Many2one(
        "repair.order", string="Repair Order", readonly=True, check_company=True
    )
    scrap_id = fields.Many2one("stock.scrap", readonly=True, check_company=True)

    _lot_pending_unique = models.UniqueIndex(
        "(lot_id) WHERE state = 'pending'",
        "This serial is already waiting for refurbishment.",
    )

    # ------------------------------------------------------------------
    # Opened by the stock layer only
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "A refurbishment is opened when a unit is taken back into a branch's "
                    "refurbishment location."
                )
            )
        return super().create(vals_list)

    @api.model
    def _isp_open_for_lines(self, lines):
        """Pending refurbishments for the serials of these done move lines (into a
        refurbishment location); skips serials that already have one pending."""
        # sudo: the stock layer opens them whoever moved the unit (a technician taking
        # it back from a customer holds no right on refurbishments).
        Refurbishment = self.sudo()
        pending = Refurbishment.search(
            [("lot_id", "in", lines.lot_id.ids), ("state", "=", "pending")]
        ).lot_id
        vals_list = []
        for line in lines:
            if line.lot_id in pending:
                continue
            pending |= line.lot_id
            location = line.location_dest_id
            vals_list.append(
                {
                    "lot_id": line.lot_id.id,
                    "product_id": line.product_id.id,
                    "location_id": location.id,
                    "warehouse_id": location.warehouse_id.id,
                    "company_id": line.company_id.id or location.company_id.id,
                    "date_received": line.date or fields.Datetime.now(),
                    "origin": line.picking_id.name or line.reference,
                }
            )
        return Refurbishment.create(vals_list)

    # ------------------------------------------------------------------
    # Done is done
    # ------------------------------------------------------------------
    def _isp_is_done(self):
        self.ensure_one()
        return self.state == "done"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_pending_or_done(self):
        """A refurbishment follows a unit that is physically in the refurbishment
        location: it ends by grading, never by deletion (the done lock keeps done
        ones; an administrator may still remove them with a reason)."""
        if not self.env.su and self.filtered(lambda rec: rec.state == "pending"):
            raise UserError(self.env._("A pending refurbishment ends by grading the unit."))

    # ------------------------------------------------------------------
    # Grading (RPC and buttons)
    # ------------------------------------------------------------------
    def action_grade(self, grade):
        """Grade these pending refurbishments `grade` ("a", "b", "c" or "scrap") and move
        each unit on: A/B back to the branch stock, C to repair, scrap disposed.
        Storekeepers only; every unit is checked first (pending, still in its location,
        the category's required checklist items ticked except for scrap), and all run in
        one savepoint: a refusal changes nothing. Returns True."""
        self._isp_check_may_grade(grade)
        with self.env.cr.savepoint():
            for refurbishment in self:
                refurbishment._isp_grade(grade)
        return True

    def action_grade_a(self):
        return self.action_grade("a")

    def action_grade_b(self):
        return self.action_grade("b")

    def action_grade_c(self):
        return self.action_grade("c")

    def action_grade_scrap(self):
        return self.action_grade("scrap")

    def _isp_check_may_grade(self, grade):
        if not self.env.user.has_group("isp_inventory.group_isp_storekeeper"):
            raise AccessError(self.env._("Only a storekeeper grades refurbished units."))
        if grade not in dict(REFURB_GRADES):
            raise UserError(
                self.env._("Unknown grade %(grade)s: choose A, B, C or scrap.", grade=grade)
            )
        if not self:
            raise UserError(self.env._("Choose at least one unit to grade."))
        self.check_access("write")
        for refurbishment in self:
            refurbishment._isp_check_gradable(grade)

    def _isp_check_gradable(self, grade):
        self.ensure_one()
        if self.state != "pending":
            raise UserError(self.env._("%(lot)s is already graded.", lot=self.lot_id.display_name))
        lot = self.lot_id
        quants = lot.quant_ids.filtered(
            lambda quant: quant.location_id == self.location_id
            and quant.product_uom_id.compare(quant.quantity, 0) > 0
        )
        if not quants:
            raise UserError(
                self.env._(
                    "%(lot)s is no longer in %(location)s.",
                    lot=lot.display_name,
                    location=self.location_id.display_name,
                )
            )
        missing = self._isp_missing_checklist_items() if grade in CHECKLIST_GRADES else []
        if missing:
            raise UserError(
                self.env._(
                    "%(lot)s: complete the refurbishment checklist before grading " "(%(items)s).",
                    lot=lot.display_name,
                    items=", ".join(missing),
                )
            )

    def _isp_missing_checklist_items(self):
        """Labels of the checklist items the product category requires and that are not
        done (the firmware item also needs the version written down)."""
        self.ensure_one()
        # sudo: the category's requirements decide the check, whoever may read it.
        category = self.sudo().product_id.categ_id
        missing = []
        for item, requirement in REFURB_CHECKLIST:
            if not category[requirement]:
                continue
            done = self[item] and (item != "firmware_noted" or self.firmware_version)
            if not done:
                missing.append(self._fields[item].get_description(self.env)["string"])
        return missing

    def _isp_grade(self, grade):
        """Move the unit on according to `grade` and close the refurbishment."""
        self.ensure_one()
        label = dict(self._fields["grade"]._description_selection(self.env))[grade]
        vals = {
            "grade": grade,
            "state": "done",
            "graded_by_id": self.env.uid,
            "date_graded": fields.Datetime.now(),
        }
        lot_vals = {"isp_refurb_grade": grade}
        if grade in REISSUABLE_GRADES:
            vals["picking_id"] = self._isp_return_to_stock(label).id
            lot_vals["isp_refurb_count"] = self.lot_id.isp_refurb_count + 1
        elif grade == "c":
            vals["repair_id"] = self.lot_id._isp_create_repair(
                self.location_id,
                self.env._("Refurbishment grade C (%(ref)s).", ref=self.origin or self.name),
            ).id
        else:
            vals["scrap_id"] = self._isp_scrap().id
        # sudo: the grade, grader and outcome are server-set fields (refused to users);
        # the grading storekeeper was checked in _isp_check_may_grade.
        self.sudo().write(vals)
        self.lot_id.sudo().write(lot_vals)
        self.lot_id.message_post(
            body=self.env._(
                "Refurbishment graded %(grade)s by %(user)s.",
                grade=label,
                user=self.env.user.name,
            )
        )

    def _isp_return_to_stock(self, label):
        """Grade A/B: one validated internal transfer refurbishment → branch stock."""
        warehouse = self.warehouse_id
        return self.env["stock.picking"]._isp_create_done(
            warehouse.int_type_id,
            self.location_id,
            warehouse.lot_stock_id,
            [(self.product_id, 1.0, self.lot_id)],
            origin=self.env._("Refurbished %(lot)s: %(grade)s", lot=self.lot_id.name, grade=label),
        )

    def _isp_scrap(self):
        """Grade scrap: scrap the unit from the refurbishment location."""
        tag = self.env["stock.scrap.reason.tag"]
        reason = self.env._("Refurbishment: scrap")
        tag = tag.search([("name", "=", reason)], limit=1) or tag.create({"name": reason})
        scrap = self.env["stock.scrap"].create(self._isp_prepare_scrap_values(tag))
        # the grading is the document that writes the unit off
        # (stock.move.line._isp_check_store_write_off)
        with self.env["stock.move.line"]._isp_releasing_custody():
            scrap.do_scrap()
        return scrap

    def _isp_prepare_scrap_values(self, tag):
        """Hook: the values of the scrap of a unit graded scrap."""
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "scrap_qty": 1.0,
            "location_id": self.location_id.id,
            "company_id": self.company_id.id,
            "scrap_reason_tag_ids": [(6, 0, tag.ids)],
            "origin": self.origin or self.lot_id.name,
        }
