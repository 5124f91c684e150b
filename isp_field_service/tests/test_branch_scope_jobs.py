from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import IspFieldServiceCommon


@tagged("post_install", "-at_install")
class TestBranchScopeJobs(IspFieldServiceCommon):
    """Branch scope on field jobs (issue 12, point 6): a storekeeper or approver with
    branches sees the jobs of those branches' technicians (and unassigned jobs, to
    dispatch them); an unscoped one, and an ISP manager, sees all field jobs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch_b = cls.env["stock.warehouse"].create(
            {"name": "Other Branch", "code": "OBJ", "isp_region_id": cls.region.id}
        )
        cls.tech_b_user = new_test_user(
            cls.env, login="isp_tech_jobs_b", groups="isp_inventory.group_isp_technician"
        )
        cls.technician_b = cls.env["isp.technician"].create(
            {"user_id": cls.tech_b_user.id, "warehouse_id": cls.branch_b.id}
        )
        cls.job_b = cls._create_job(technician=cls.technician_b, customer=cls.other_customer)
        cls.unassigned = cls.env["project.task"].create(
            {"name": "Not dispatched yet", "project_id": cls.project.id}
        )
        cls.store_a = new_test_user(
            cls.env, login="isp_store_jobs_a", groups="isp_inventory.group_isp_storekeeper"
        )
        cls.store_a.isp_warehouse_ids = cls.branch
        cls.approver_b = new_test_user(
            cls.env, login="isp_approver_jobs_b", groups="isp_inventory.group_isp_approver"
        )
        cls.approver_b.isp_warehouse_ids = cls.branch_b
        cls.jobs = cls.job | cls.job_b | cls.unassigned

    def _visible(self, user):
        return self.env["project.task"].with_user(user).search([("id", "in", self.jobs.ids)])

    def test_scoped_users_see_their_branches_jobs(self):
        self.assertEqual(self._visible(self.store_a), self.job | self.unassigned)
        self.assertEqual(self._visible(self.approver_b), self.job_b | self.unassigned)
        self.assertEqual(
            self.env["project.task"]
            .with_user(self.store_a)
            .search_count([("project_id", "=", self.project.id)]),
            2,
        )

    def test_unscoped_and_manager_see_all_jobs(self):
        self.manager_user.isp_warehouse_ids = self.branch
        for user in (self.storekeeper_user, self.approver_user, self.manager_user):
            self.assertEqual(self._visible(user), self.jobs, user.login)

    def test_technicians_still_see_their_own_only(self):
        self.assertEqual(self._visible(self.technician_user), self.job)
        self.assertEqual(self._visible(self.tech_b_user), self.job_b)

    def test_other_branch_job_refused(self):
        with self.assertRaises(AccessError):
            self.job_b.with_user(self.store_a).read(["name"])
        with self.assertRaises(AccessError):
            self.job_b.with_user(self.store_a).write({"name": "Taken over"})
        with self.assertRaises(AccessError):
            self.job.with_user(self.approver_b).read(["name"])
        self.env.invalidate_all()
        self.assertEqual(self.job_b.name, "Test FTTH job")

    def test_scoped_storekeeper_assigns_only_his_branch_technicians(self):
        with self.assertRaises(AccessError):
            self.unassigned.with_user(self.store_a).write(
                {"isp_technician_id": self.technician_b.id}
            )
        with self.assertRaises(AccessError):
            self.job.with_user(self.store_a).write({"isp_technician_id": self.technician_b.id})
        self.env.invalidate_all()
        self.assertFalse(self.unassigned.isp_technician_id)
        self.assertEqual(self.job.isp_technician_id, self.technician)
        self.unassigned.with_user(self.store_a).write(
            {"isp_technician_id": self.other_technician.id}
        )
        self.assertEqual(self.unassigned.isp_technician_id, self.other_technician)
        # an unscoped storekeeper assigns anyone
        self.unassigned.with_user(self.storekeeper_user).write(
            {"isp_technician_id": self.technician_b.id}
        )
        self.assertEqual(self.unassigned.isp_technician_id, self.technician_b)
