"""Company isolation (19.0.1.1.0): job types got a company and their usual materials
that of their job type. The update gives a new required column the default (the
company of the upgrading user); here each job type takes the company of its most
recent job instead (if any) and the materials follow their job type."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        WITH job_company AS (
            SELECT DISTINCT ON (task.isp_job_type_id)
                   task.isp_job_type_id AS job_type_id, task.company_id
              FROM project_task task
             WHERE task.isp_job_type_id IS NOT NULL
               AND task.company_id IS NOT NULL
          ORDER BY task.isp_job_type_id, task.id DESC
        )
        UPDATE isp_job_type job_type
           SET company_id = job_company.company_id
          FROM job_company
         WHERE job_company.job_type_id = job_type.id
           AND job_type.company_id IS DISTINCT FROM job_company.company_id
        """
    )
    cr.execute(
        """
        UPDATE isp_job_type
           SET company_id = (SELECT id FROM res_company ORDER BY sequence, id LIMIT 1)
         WHERE company_id IS NULL
        """
    )
    cr.execute(
        """
        UPDATE isp_job_type_material material
           SET company_id = job_type.company_id
          FROM isp_job_type job_type
         WHERE job_type.id = material.job_type_id
           AND material.company_id IS DISTINCT FROM job_type.company_id
        """
    )
