from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import IspInventoryCommon
from .common_company import IspSecondCompanyMixin


@tagged("post_install", "-at_install")
class TestCompanyIsolation(IspSecondCompanyMixin, IspInventoryCommon):
    """Users of the first company (technician, storekeeper, approver, and a manager
    allowed only there) never see the ISP records of a second company; records of one
    company never point at another company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_second_company()

    def _second_company_records(self):
        c2 = self.c2
        return [
            c2["region"],
            c2["technician"],
            c2["kit_template"],
            c2["kit_template"].line_ids,
            c2["count"],
            c2["count"].line_ids,
            c2["loss_report"],
            c2["loss_report"].line_ids,
            c2["lot"],
            c2["technician"].vehicle_location_id,
            c2["warehouse"],
        ]

    def test_first_company_users_see_nothing_of_the_second(self):
        records = self._second_company_records()
        self.assertEqual(len(self.c2["count"].line_ids), 1, "the van's serial was snapshot")
        self.assertEqual(self.manager_user.company_ids, self.env.company)
        for user in (
            self.technician_user,
            self.storekeeper_user,
            self.approver_user,
            self.manager_user,
        ):
            with self.subTest(user=user.login):
                self.assertHiddenFrom(user, records)

    def test_second_company_users_see_their_records(self):
        """The same checks pass the other way round: the records exist and are readable
        by their own company's office (so the hiding above is the company rule)."""
        for user in (self.c2["storekeeper_user"], self.c2["manager_user"]):
            for record in self._second_company_records():
                model = self.env[record._name].with_user(user)
                self.assertEqual(model.search([("id", "in", record.ids)]).ids, record.ids)
        tech = self.c2["technician_user"]
        self.assertEqual(
            self.env["isp.technician"].with_user(tech).search([]).ids, self.c2["technician"].ids
        )
        self.assertHiddenFrom(self.c2["manager_user"], [self.region, self.technician])

    def test_technician_reports_only_into_own_company(self):
        """The loss report of a first-company technician cannot list the second
        company's serial or its van."""
        reports = self.env["isp.loss.report"].search_count([])
        with self.assertRaises(UserError):
            self.env["isp.loss.report"].create(
                {
                    "technician_id": self.technician.id,
                    "description": "Cross-company loss",
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.c2["product"].id,
                                "lot_id": self.c2["lot"].id,
                                "quantity": 1,
                            }
                        )
                    ],
                }
            )
        self.assertEqual(self.env["isp.loss.report"].search_count([]), reports)

    def test_count_for_a_technician_of_another_company_is_refused(self):
        counts = self.env["isp.stock.count"].search(
            [("technician_id", "=", self.c2["technician"].id)]
        )
        with self.assertRaises(UserError):
            self.env["isp.stock.count"].create(
                {"technician_id": self.c2["technician"].id, "company_id": self.env.company.id}
            )
        self.assertEqual(
            self.env["isp.stock.count"].search([("technician_id", "=", self.c2["technician"].id)]),
            counts,
        )
        # nor can a first-company storekeeper, who does not even see that technician
        with self.assertRaises(AccessError):
            self.env["isp.stock.count"].with_user(self.storekeeper_user).create(
                {"technician_id": self.c2["technician"].id}
            )
        self.assertEqual(
            self.env["isp.stock.count"].search([("technician_id", "=", self.c2["technician"].id)]),
            counts,
        )

    def test_cross_company_configuration_is_refused(self):
        technicians = self.env["isp.technician"].search_count([])
        with self.assertRaises(UserError):
            self.env["isp.technician"].create(
                {"user_id": self.storekeeper_user.id, "warehouse_id": self.c2["warehouse"].id}
            )
        # a second-company user cannot be a first-company technician
        with self.assertRaises(UserError):
            self.env["isp.technician"].create(
                {"user_id": self.c2["storekeeper_user"].id, "warehouse_id": self.branch.id}
            )
        self.assertEqual(self.env["isp.technician"].search_count([]), technicians)
        template = self.env["isp.kit.template"].create({"name": "First Company Kit"})
        with self.assertRaises(UserError):
            template.write({"line_ids": [Command.create({"product_id": self.c2["product"].id})]})
        self.assertFalse(template.line_ids)
        with self.assertRaises(UserError):
            self.branch.isp_region_id = self.c2["region"]
        self.assertEqual(self.branch.isp_region_id, self.region)

    def test_wizard_refuses_a_serial_of_another_company(self):
        """The walk-in install wizard of a first-company technician cannot take the
        second company's serial."""
        wizards = self.env["isp.install.wizard"].search_count([])
        with self.assertRaises(UserError):
            self.env["isp.install.wizard"].create(
                {
                    "technician_id": self.technician.id,
                    "partner_id": self.customer.id,
                    "lot_id": self.c2["lot"].id,
                }
            )
        self.assertEqual(self.env["isp.install.wizard"].search_count([]), wizards)
        self.assertEqual(self.c2["lot"].location_id, self.c2["technician"].vehicle_location_id)
