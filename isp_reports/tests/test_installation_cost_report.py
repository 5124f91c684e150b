from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import IspReportsCommon


@tagged("post_install", "-at_install")
class TestInstallationCostReport(IspReportsCommon):
    def setUp(self):
        """Two FTTH jobs completed (2 cords + 1 ONT, then 3 cords + 1 ONT), a repair job
        completed with 1 cord and no CPE, and an open job that is not in the report."""
        super().setUp()
        self.repair_type = self.env["isp.job.type"].create(
            {
                "name": "Test Repair",
                "material_line_ids": [(0, 0, {"product_id": self.patch_cord.id, "quantity": 1.0})],
            }
        )
        self.job.with_user(self.technician_user).action_isp_complete(
            self._complete_values(self.job, patch_cords=2.0, lots=["VAN-ONT-1"])
        )
        self.job_2 = self._create_job(customer=self.other_customer)
        self.job_2.action_isp_complete(
            self._complete_values(self.job_2, patch_cords=3.0, lots=["VAN-ONT-2"])
        )
        self.repair = self._create_job(job_type=self.repair_type)
        self.repair.action_isp_complete(
            {
                "lines": [
                    {"material_id": self._material(self.repair, self.patch_cord).id, "qty_used": 0}
                ],
                "leftover": "carry",
            }
        )
        self.open_job = self._create_job()
        self.jobs = self.job | self.job_2 | self.repair | self.open_job

    def _rows(self):
        return self.env["isp.installation.cost.report"].search(
            [("task_id", "in", self.jobs.ids)], order="id"
        )

    def test_one_row_per_completed_job(self):
        self.assertRecordValues(
            self._rows(),
            [
                {
                    "task_id": self.job.id,
                    "job_type_id": self.job_type.id,
                    "technician_id": self.technician.id,
                    "partner_id": self.customer.id,
                    "warehouse_id": self.branch.id,
                    "material_cost": 48.0,
                    "cpe_count": 1,
                    "serial_count": 1,
                    "job_count": 1,
                },
                {
                    "task_id": self.job_2.id,
                    "job_type_id": self.job_type.id,
                    "technician_id": self.technician.id,
                    "partner_id": self.other_customer.id,
                    "warehouse_id": self.branch.id,
                    "material_cost": 49.5,
                    "cpe_count": 1,
                    "serial_count": 1,
                    "job_count": 1,
                },
                {
                    "task_id": self.repair.id,
                    "job_type_id": self.repair_type.id,
                    "technician_id": self.technician.id,
                    "partner_id": self.customer.id,
                    "warehouse_id": self.branch.id,
                    "material_cost": 0.0,
                    "cpe_count": 0,
                    "serial_count": 0,
                    "job_count": 1,
                },
            ],
        )
        self.assertEqual(self._rows()[0].date, self.job.isp_completed_date)
        self.assertEqual(self._rows()[1].material_cost, self.job_2.isp_material_cost)

    def test_averages_by_job_type(self):
        groups = self.env["isp.installation.cost.report"]._read_group(
            [("task_id", "in", self.jobs.ids)],
            ["job_type_id"],
            ["job_count:sum", "avg_material_cost:avg", "material_cost:sum", "cpe_count:sum"],
        )
        self.assertEqual(
            {job_type: rest for job_type, *rest in groups},
            {
                self.job_type: [2, 48.75, 97.5, 2],
                self.repair_type: [1, 0.0, 0.0, 0],
            },
        )

    def test_technicians_cannot_read_it(self):
        with self.assertRaises(AccessError):
            self.env["isp.installation.cost.report"].with_user(self.technician_user).search([])
