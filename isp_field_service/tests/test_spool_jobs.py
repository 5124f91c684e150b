from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestSpoolJobs(IspFieldServiceCommon):
    """Jobs use lengths of cable cut from the named spool the van carries part of; each
    cut is tied to its job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.isp_approval_threshold = 0.0
        cls.cable = cls.env["product.product"].create(
            {
                "name": "Test Drop Cable 2-core",
                "categ_id": cls.env.ref("isp_inventory.product_category_consumable").id,
                "standard_price": 25.0,
                "uom_id": cls.env.ref("uom.product_uom_meter").id,
                "tracking": "lot",
                "isp_is_spool": True,
            }
        )
        cls.spool = cls._put_in_stock(cls.cable, cls.branch_stock, 500.0, lot_name="SPJ-0001")
        cls.spool_2 = cls._put_in_stock(cls.cable, cls.branch_stock, 300.0, lot_name="SPJ-0002")
        cls.spool.with_user(cls.storekeeper_user).action_isp_issue_spool(cls.technician.id, 100)
        cls.spool_2.with_user(cls.storekeeper_user).action_isp_issue_spool(cls.technician.id, 50)

    def _values(self, job, cable_line):
        values = self._complete_values(job, no_serial_reason="Repair, no ONT")
        values["lines"] = [
            {"material_id": self._material(job, self.patch_cord).id, "qty_used": 2},
            cable_line,
        ]
        return values

    def _van(self, spool):
        return self._qty(self.cable, self.van, spool)

    def test_job_uses_metres_of_the_named_spool(self):
        self.job_as_tech.action_isp_complete(
            self._values(
                self.job, {"product_id": self.cable.id, "lots": ["SPJ-0001"], "qty_used": 35}
            )
        )
        self.assertEqual(self._van(self.spool), 65)
        self.assertEqual(self._qty(self.cable, self.customer_location, self.spool), 35)
        self.assertEqual(self._van(self.spool_2), 50)
        cut = self.job.isp_material_ids.filtered(lambda m: m.product_id == self.cable)
        self.assertRecordValues(cut, [{"state": "done", "quantity": 35.0}])
        self.assertRecordValues(
            cut.move_line_ids,
            [{"lot_id": self.spool.id, "quantity": 35.0, "isp_task_id": self.job.id}],
        )
        # the spool shows the job that used it and what remains where
        self.assertRecordValues(
            self.spool,
            [
                {
                    "isp_cut_qty": 35.0,
                    "isp_spool_remaining_qty": 465.0,
                    "isp_state": "in_stock",
                }
            ],
        )
        self.assertEqual(self.spool.isp_cut_line_ids, cut.move_line_ids)
        self.assertEqual(self.spool.isp_cut_task_ids, self.job)
        self.assertFalse(self.spool_2.isp_cut_task_ids)

    def test_cuts_of_two_spools_on_two_jobs(self):
        other_customer_job = self._create_job(customer=self.other_customer)
        self.job_as_tech.action_isp_complete(
            self._values(
                self.job,
                {
                    "product_id": self.cable.id,
                    "lots": [{"lot": "SPJ-0001", "qty": 20}, {"lot": "SPJ-0002", "qty": 12.5}],
                },
            )
        )
        other_customer_job.with_user(self.technician_user).action_isp_complete(
            self._values(
                other_customer_job,
                {"product_id": self.cable.id, "lots": [{"lot": self.spool.id, "qty": 30}]},
            )
        )
        self.assertEqual(self._van(self.spool), 50)
        self.assertEqual(self._van(self.spool_2), 37.5)
        self.assertEqual(self.spool.isp_cut_task_ids, self.job | other_customer_job)
        self.assertEqual(self.spool_2.isp_cut_task_ids, self.job)
        self.assertEqual(
            sorted((line.isp_task_id.id, line.quantity) for line in self.spool.isp_cut_line_ids),
            sorted([(self.job.id, 20.0), (other_customer_job.id, 30.0)]),
        )
        action = self.spool.action_isp_view_cuts()
        self.assertEqual(action["res_id"], self.spool.id)

    def test_over_consumption_refused_nothing_changed(self):
        before = (self._van(self.spool), self._van(self.spool_2), self.job.isp_job_state)
        cases = [
            ({"product_id": self.cable.id, "lots": ["SPJ-0001"], "qty_used": 101}, "only 100"),
            ({"product_id": self.cable.id, "lots": [{"lot": "SPJ-0002", "qty": 60}]}, "only 50"),
            ({"product_id": self.cable.id, "lots": [{"lot": "SPJ-0001", "qty": 0}]}, "more than 0"),
            (
                {"product_id": self.cable.id, "lots": ["SPJ-0001", "SPJ-0002"], "qty_used": 10},
                "each spool",
            ),
            (
                {
                    "product_id": self.cable.id,
                    "lots": [{"lot": "SPJ-0001", "qty": 10}],
                    "qty_used": 12,
                },
                "add up",
            ),
            # a lot of another product: not found for that product
            ({"product_id": self.patch_cord.id, "lots": ["SPJ-0001"]}, "does not exist"),
        ]
        for line, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                self.job_as_tech.action_isp_complete(self._values(self.job, line))
        self.assertEqual(
            (self._van(self.spool), self._van(self.spool_2), self.job.isp_job_state), before
        )
        self.assertFalse(self.spool.isp_cut_line_ids)

    def test_spool_not_in_the_van_refused(self):
        """A spool in the branch store is not the technician's (he cannot even see it):
        he is told it is not in his van or kit, as is the office completing the job."""
        spool_3 = self._put_in_stock(self.cable, self.branch_stock, 100.0, lot_name="SPJ-0003")
        with self.assertRaisesRegex(UserError, "SPJ-0003 of .* is not in your van or kit"):
            self.job_as_tech.action_isp_complete(
                self._values(
                    self.job,
                    {"product_id": self.cable.id, "lots": [{"lot": "SPJ-0003", "qty": 5}]},
                )
            )
        with self.assertRaisesRegex(UserError, "not in"):
            self.job.with_user(self.storekeeper_user).action_isp_complete(
                self._values(
                    self.job,
                    {"product_id": self.cable.id, "lots": [{"lot": "SPJ-0003", "qty": 5}]},
                )
            )
        self.assertEqual(self._qty(self.cable, self.branch_stock, spool_3), 100)
        self.assertEqual(self.job.isp_job_state, "scheduled")

    def test_wizard_spool_column(self):
        """A planned cable line starts on the van's spool with the most metres; the
        wizard sends the cut from that spool. Without spool materials there is no Spool
        column."""
        plain = Form(
            self.env["isp.job.complete.wizard"]
            .with_user(self.technician_user)
            .with_context(default_task_id=self.job.id)
        )
        self.assertEqual(len(plain.line_ids), 2)  # the ONT and the patch cords
        self.assertFalse(plain.has_spool)
        self.env["stock.move"].create(
            {
                "isp_task_id": self.job.id,
                "product_id": self.cable.id,
                "product_uom_qty": 25,
                "product_uom": self.cable.uom_id.id,
                "location_id": self.van.id,
                "location_dest_id": self.customer_location.id,
            }
        )
        wizard_form = Form(
            self.env["isp.job.complete.wizard"]
            .with_user(self.technician_user)
            .with_context(default_task_id=self.job.id)
        )
        wizard_form.missing_serial_reason = "Repair, no ONT"
        wizard = wizard_form.save()
        line = wizard.line_ids.filtered(lambda line: line.product_id == self.cable)
        self.assertRecordValues(line, [{"is_spool": True, "lot_id": self.spool.id}])
        self.assertTrue(wizard.has_spool)
        line.qty_used = 22
        wizard.action_confirm()
        self.assertEqual(self._van(self.spool), 78)
        self.assertEqual(self.spool.isp_cut_task_ids, self.job)
