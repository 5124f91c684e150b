from odoo.addons.isp_inventory.tests.common import IspInventoryCommon


class IspFieldServiceCommon(IspInventoryCommon):
    """Field-service fixtures on top of the inventory ones.

    - `project`: a field-service project with its own analytic account;
    - `job_type`: an FTTH installation needing 1 ONT and 2 patch cords;
    - the technician's van holds 5 patch cords and the ONT serials `ont_lot_1/2`;
      the branch holds 20 patch cords and 3 ONTs (serials BR-ONT-1..3);
    - `job`: a scheduled FTTH job of the technician at `customer`;
    - `other_technician` (user `other_tech_user`) with an empty van.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ont.tracking = "serial"
        cls.analytic_account = cls.env["account.analytic.account"].create(
            {
                "name": "Test Field Jobs",
                "plan_id": cls.env.ref("analytic.analytic_plan_projects").id,
            }
        )
        cls.project = cls.env["project.project"].create(
            {
                "name": "Test Field Jobs",
                "isp_is_field_service": True,
                "privacy_visibility": "followers",
                "account_id": cls.analytic_account.id,
            }
        )
        cls.job_type = cls.env["isp.job.type"].create(
            {
                "name": "Test FTTH Installation",
                "material_line_ids": [
                    (0, 0, {"product_id": cls.ont.id, "quantity": 1.0}),
                    (0, 0, {"product_id": cls.patch_cord.id, "quantity": 2.0}),
                ],
            }
        )
        cls._put_in_stock(cls.patch_cord, cls.van, 5.0)
        cls.ont_lot_1 = cls._put_in_stock(cls.ont, cls.van, 1.0, lot_name="VAN-ONT-1")
        cls.ont_lot_2 = cls._put_in_stock(cls.ont, cls.van, 1.0, lot_name="VAN-ONT-2")
        cls._put_in_stock(cls.patch_cord, cls.branch_stock, 20.0)
        for index in range(1, 4):
            cls._put_in_stock(cls.ont, cls.branch_stock, 1.0, lot_name=f"BR-ONT-{index}")
        cls.other_tech_user = cls.env["res.users"].create(
            {
                "name": "Other Tech",
                "login": "isp_other_tech",
                "group_ids": [(6, 0, [cls.env.ref("isp_inventory.group_isp_technician").id])],
            }
        )
        cls.other_technician = cls.env["isp.technician"].create(
            {"user_id": cls.other_tech_user.id, "warehouse_id": cls.branch.id}
        )
        cls.job = cls._create_job()
        cls.job_as_tech = cls.job.with_user(cls.technician_user)
        cls.customer_location = cls.customer.property_stock_customer

    @classmethod
    def _create_job(cls, technician=None, customer=None, job_type=None, **vals):
        job = cls.env["project.task"].create(
            dict(
                {
                    "name": "Test FTTH job",
                    "project_id": cls.project.id,
                    "isp_job_type_id": (job_type or cls.job_type).id,
                    "isp_technician_id": (technician or cls.technician).id,
                    "partner_id": (customer or cls.customer).id,
                    "isp_scheduled_date": "2030-01-01 08:00:00",
                },
                **vals,
            )
        )
        job.action_isp_suggest_materials()
        return job

    def _material(self, job, product):
        """The job's material move of `product` (not a cancelled remainder)."""
        return job.isp_material_ids.filtered(
            lambda m: m.product_id == product and m.state != "cancel"
        )

    def _complete_values(self, job, patch_cords=2.0, lots=None, **values):
        """The completion payload: patch cords used and ONT serials installed."""
        return dict(
            {
                "lines": [
                    {
                        "material_id": self._material(job, self.patch_cord).id,
                        "qty_used": patch_cords,
                    },
                    {"material_id": self._material(job, self.ont).id, "lots": lots or []},
                ],
                "leftover": "carry",
                "latitude": -1.2921,
                "longitude": 36.8219,
                # The planned ONT needs a serial, or the reason it was not installed.
                "no_serial_reason": False if lots else "Customer kept their own ONT",
            },
            **values,
        )
