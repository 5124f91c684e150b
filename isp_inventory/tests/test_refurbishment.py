from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import IspInventoryCommon


@tagged("post_install", "-at_install")
class TestRefurbishment(IspInventoryCommon):
    """Churn and upgrade returns go to the branch refurbishment location; a storekeeper
    runs the category's checklist and grades each unit A/B (back to stock), C (repair)
    or scrap; issuance prefers new or refurbished serials by company policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.ont.categ_id
        cls.category.write(
            {
                "isp_refurb_require_factory_reset": True,
                "isp_refurb_require_cleaned": True,
                "isp_refurb_require_power_on_test": True,
                "isp_refurb_require_firmware_noted": True,
                "isp_refurb_require_accessories_complete": False,
            }
        )
        cls.customer_location = cls.customer.property_stock_customer
        cls._give_open_job(cls.technician, cls.customer)
        cls.refurb_location = cls.branch._isp_get_refurbishment_location()

    def _churned_unit(self, name):
        """A serial installed at the customer, taken back for churn by the technician;
        returns (lot, its pending refurbishment)."""
        lot = self._put_in_stock(self.ont, self.van, 1, lot_name=name)
        lot.with_user(self.technician_user).action_isp_install(self.technician.id, self.customer.id)
        lot.with_user(self.technician_user).action_isp_take_back(
            self.technician.id, self.customer.id, refurbish=True, reason="Customer left"
        )
        return lot, self.env["isp.refurbishment"].search([("lot_id", "=", lot.id)])

    def _tick(self, refurbishment):
        refurbishment.with_user(self.storekeeper_user).write(
            {
                "factory_reset": True,
                "cleaned": True,
                "power_on_test": True,
                "firmware_noted": True,
                "firmware_version": "V5R019C10",
            }
        )

    def test_refurbishment_location_is_one_per_branch(self):
        self.assertRecordValues(
            self.refurb_location,
            [{"usage": "internal", "isp_role": "refurbishment", "warehouse_id": self.branch.id}],
        )
        self.assertEqual(self.branch._isp_get_refurbishment_location(), self.refurb_location)
        self.assertFalse(
            self.refurb_location._child_of(self.branch_stock),
            "never reserved by issues from the branch stock",
        )

    def test_take_back_for_churn_goes_to_refurbishment(self):
        lot, refurbishment = self._churned_unit("ONT-RF-1")
        self.assertEqual(self._qty(self.ont, self.refurb_location, lot), 1)
        self.assertEqual(self._qty(self.ont, self.customer_location, lot), 0)
        self.assertRecordValues(lot, [{"isp_state": "refurbishment", "isp_customer_id": False}])
        self.assertRecordValues(
            refurbishment,
            [
                {
                    "state": "pending",
                    "product_id": self.ont.id,
                    "warehouse_id": self.branch.id,
                    "location_id": self.refurb_location.id,
                    "company_id": self.branch.company_id.id,
                    "grade": False,
                }
            ],
        )

    def test_return_wizard_routes_by_reason(self):
        lot = self._put_in_stock(self.ont, self.van, 1, lot_name="ONT-RF-W1")
        lot.action_isp_install(self.technician.id, self.customer.id)
        with Form(self.env["isp.return.wizard"].with_user(self.technician_user)) as form:
            form.technician_id = self.technician
            form.partner_id = self.customer
            form.lot_id = lot
            form.reason = "upgrade"
        form.record.action_return()
        self.assertEqual(self._qty(self.ont, self.refurb_location, lot), 1)
        self.assertEqual(lot.isp_state, "refurbishment")
        self.assertEqual(self.env["isp.refurbishment"].search_count([("lot_id", "=", lot.id)]), 1)

    def test_required_checklist_refuses_grading(self):
        lot, refurbishment = self._churned_unit("ONT-RF-2")
        refurbishment.with_user(self.storekeeper_user).write(
            {"factory_reset": True, "cleaned": True, "power_on_test": True}
        )
        before = self._quants(self.ont)
        with self.assertRaisesRegex(UserError, "Firmware Noted"):
            refurbishment.with_user(self.storekeeper_user).action_grade("a")
        self.assertEqual(self._quants(self.ont), before)
        self.assertRecordValues(refurbishment, [{"state": "pending", "grade": False}])
        self.assertRecordValues(
            lot, [{"isp_refurb_count": 0, "isp_refurb_grade": False, "isp_state": "refurbishment"}]
        )
        # ticked, but the version not written down: still refused
        refurbishment.with_user(self.storekeeper_user).firmware_noted = True
        with self.assertRaises(UserError):
            refurbishment.with_user(self.storekeeper_user).action_grade("b")
        self.assertEqual(refurbishment.state, "pending")

    def test_grade_a_returns_to_stock_reissuable(self):
        lot, refurbishment = self._churned_unit("ONT-RF-3")
        self._tick(refurbishment)
        refurbishment.with_user(self.storekeeper_user).action_grade_a()
        self.assertEqual(self._qty(self.ont, self.refurb_location, lot), 0)
        self.assertEqual(self._qty(self.ont, self.branch_stock, lot), 1)
        self.assertRecordValues(
            lot, [{"isp_state": "in_stock", "isp_refurb_count": 1, "isp_refurb_grade": "a"}]
        )
        self.assertRecordValues(
            refurbishment,
            [{"state": "done", "grade": "a", "graded_by_id": self.storekeeper_user.id}],
        )
        self.assertTrue(refurbishment.date_graded)
        self.assertRecordValues(
            refurbishment.picking_id,
            [
                {
                    "state": "done",
                    "location_id": self.refurb_location.id,
                    "location_dest_id": self.branch_stock.id,
                    "picking_type_id": self.branch.int_type_id.id,
                }
            ],
        )
        # a second churn of the same unit counts a second refurbishment (grade B)
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.ont, self.branch_stock, -1, lot_id=lot)
        Quant._update_available_quantity(self.ont, self.van, 1, lot_id=lot)
        lot.action_isp_install(self.technician.id, self.customer.id)
        lot.action_isp_take_back(self.technician.id, self.customer.id, refurbish=True)
        second = self.env["isp.refurbishment"].search(
            [("lot_id", "=", lot.id), ("state", "=", "pending")]
        )
        self._tick(second)
        second.with_user(self.storekeeper_user).action_grade("b")
        self.assertRecordValues(lot, [{"isp_refurb_count": 2, "isp_refurb_grade": "b"}])

    def test_grade_c_goes_to_repair(self):
        lot, refurbishment = self._churned_unit("ONT-RF-4")
        self._tick(refurbishment)
        refurbishment.with_user(self.storekeeper_user).action_grade_c()
        repair = refurbishment.repair_id
        self.assertRecordValues(
            repair,
            [
                {
                    "lot_id": lot.id,
                    "product_location_src_id": self.refurb_location.id,
                    "product_location_dest_id": self.branch_stock.id,
                }
            ],
        )
        self.assertRecordValues(
            lot, [{"isp_state": "in_repair", "isp_refurb_count": 0, "isp_refurb_grade": "c"}]
        )
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(self._qty(self.ont, self.branch_stock, lot), 1)
        self.assertEqual(self._qty(self.ont, self.refurb_location, lot), 0)
        self.assertEqual(lot.isp_state, "in_stock")

    def test_grade_scrap_disposes_without_checklist(self):
        lot, refurbishment = self._churned_unit("ONT-RF-5")
        refurbishment.with_user(self.storekeeper_user).action_grade_scrap()
        self.assertEqual(refurbishment.scrap_id.state, "done")
        self.assertEqual(refurbishment.scrap_id.scrap_reason_tag_ids.name, "Refurbishment: scrap")
        self.assertEqual(self._qty(self.ont, self.refurb_location, lot), 0)
        self.assertRecordValues(lot, [{"isp_state": "disposed", "isp_refurb_grade": "scrap"}])

    def test_technician_cannot_grade_or_forge(self):
        lot, refurbishment = self._churned_unit("ONT-RF-6")
        self._tick(refurbishment)
        before = self._quants(self.ont)
        with self.assertRaises(AccessError):
            refurbishment.with_user(self.technician_user).action_grade("a")
        with self.assertRaises(AccessError):
            refurbishment.with_user(self.technician_user).read(["state"])
        with self.assertRaises(AccessError):
            refurbishment.with_user(self.storekeeper_user).write({"grade": "a"})
        with self.assertRaises(AccessError):
            lot.with_user(self.storekeeper_user).write({"isp_refurb_count": 5})
        with self.assertRaises(AccessError):
            self.env["isp.refurbishment"].with_user(self.storekeeper_user).create(
                {
                    "lot_id": lot.id,
                    "product_id": self.ont.id,
                    "warehouse_id": self.branch.id,
                    "location_id": self.refurb_location.id,
                    "company_id": self.branch.company_id.id,
                }
            )
        self.assertEqual(self._quants(self.ont), before)
        self.assertRecordValues(refurbishment, [{"state": "pending", "grade": False}])
        self.assertRecordValues(lot, [{"isp_refurb_count": 0, "isp_refurb_grade": False}])

    def test_done_refurbishment_is_locked(self):
        lot, refurbishment = self._churned_unit("ONT-RF-7")
        self._tick(refurbishment)
        refurbishment.with_user(self.storekeeper_user).action_grade("b")
        self._forget_done_now()
        with self.assertRaises(UserError):
            refurbishment.with_user(self.storekeeper_user).write({"cleaned": False})
        with self.assertRaises(UserError):
            refurbishment.with_user(self.storekeeper_user).action_grade("a")
        with self.assertRaises(UserError):
            refurbishment.with_user(self.manager_user).unlink()
        self.assertRecordValues(refurbishment, [{"state": "done", "grade": "b", "cleaned": True}])
        self.assertRecordValues(lot, [{"isp_refurb_count": 1, "isp_refurb_grade": "b"}])

    # ------------------------------------------------------------------
    # Issuance preference
    # ------------------------------------------------------------------
    def _stock_two_units(self):
        """An older new unit and a newer refurbished one in the branch stock."""
        Lot = self.env["stock.lot"]
        new = Lot.create({"name": "ONT-PREF-NEW", "product_id": self.ont.id})
        refurbished = Lot.create({"name": "ONT-PREF-REF", "product_id": self.ont.id})
        # sudo: the refurbishment count is server-set (grading); the fixture stands in
        refurbished.sudo().write({"isp_refurb_count": 1, "isp_refurb_grade": "a"})
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(
            self.ont, self.branch_stock, 1, lot_id=new, in_date=datetime(2026, 1, 5)
        )
        Quant._update_available_quantity(
            self.ont, self.branch_stock, 1, lot_id=refurbished, in_date=datetime(2026, 2, 5)
        )
        return new, refurbished

    def _issue_one(self):
        picking = self.env["stock.picking"]._isp_build(
            self.branch.int_type_id,
            self.branch_stock,
            self.van,
            [(self.ont, 1.0, self.env["stock.lot"])],
        )
        return picking.move_ids.move_line_ids.lot_id

    def test_issue_preference_orders_reservation(self):
        new, refurbished = self._stock_two_units()
        company = self.branch.company_id
        company.isp_issue_preference = "none"  # the default (the demo prefers refurbished)
        self.assertEqual(self._issue_one(), new, "no preference: first in, first out")
        self.env["stock.picking"].search([("location_dest_id", "=", self.van.id)]).action_cancel()
        company.isp_issue_preference = "refurbished"
        self.assertEqual(self._issue_one(), refurbished)
        self.env["stock.picking"].search([("location_dest_id", "=", self.van.id)]).action_cancel()
        company.isp_issue_preference = "new"
        self.assertEqual(self._issue_one(), new)
