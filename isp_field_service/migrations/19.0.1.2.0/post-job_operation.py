"""A job is one stock operation (19.0.1.2.0).

- Job materials (`isp.job.material`, whose table Odoo drops at the end of this update)
  become stock moves of the job (`stock.move.isp_task_id`):
  - completed jobs: the done moves that took their materials to the customer are
    marked as the job's materials, and the first of their transfers becomes the job's
    operation;
  - open jobs: what is planned and not used yet becomes a move of the job's operation
    (van → customer); a line that had stock set aside or issued is confirmed and
    reserved in the van, the others stay planned (draft).
- The job state now follows the stage: each job is put in the stage of the state it had
  (and a completed job is closed), then the state is recomputed.
- The old job material table is dropped.
- The job that installed a serial is cleared where the serial is no longer installed
  (its install record is now kept by the stock layer).
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _mark_done_materials(env)
    _align_stages(env)
    _create_open_materials(env)
    cr.execute(
        SQL(
            "UPDATE stock_lot SET isp_task_id = NULL "
            "WHERE isp_task_id IS NOT NULL AND isp_customer_id IS NULL"
        )
    )


def _mark_done_materials(env):
    env.cr.execute(
        SQL(
            """
            UPDATE stock_move move
               SET isp_task_id = picking.isp_task_id
              FROM stock_picking picking, stock_location destination, project_task task
             WHERE move.picking_id = picking.id
               AND picking.isp_task_id = task.id
               AND task.isp_job_state = %s
               AND move.location_dest_id = destination.id
               AND destination.usage = %s
               AND move.state = %s
               AND move.isp_task_id IS NULL
            """,
            "done",
            "customer",
            "done",
        )
    )
    env.cr.execute(
        SQL(
            """
            UPDATE project_task task
               SET isp_operation_id = first.picking_id
              FROM (SELECT isp_task_id, MIN(picking_id) AS picking_id
                      FROM stock_move
                     WHERE isp_task_id IS NOT NULL
                  GROUP BY isp_task_id) first
             WHERE first.isp_task_id = task.id
               AND task.isp_operation_id IS NULL
            """
        )
    )


def _align_stages(env):
    Task = env["project.task"].with_context(active_test=False)
    jobs = Task.search([("project_id.isp_is_field_service", "=", True)])
    env.cr.execute(
        SQL(
            "SELECT id, isp_job_state FROM project_task WHERE id IN %s",
            tuple(jobs.ids) or (0,),
        )
    )
    old_states = dict(env.cr.fetchall())
    Stage = env["project.task.type"]
    for job in jobs:
        state = old_states.get(job.id) or "scheduled"
        if job.stage_id.isp_job_state != state:
            stage = job.project_id.type_ids.filtered(lambda s, st=state: s.isp_job_state == st)[
                :1
            ] or Stage.search([("isp_job_state", "=", state)], limit=1)
            if stage:
                env.cr.execute(
                    SQL("UPDATE project_task SET stage_id = %s WHERE id = %s", stage.id, job.id)
                )
        if state == "done" and job.state != "1_done":
            env.cr.execute(
                SQL("UPDATE project_task SET state = %s WHERE id = %s", "1_done", job.id)
            )
    jobs.invalidate_recordset()
    env.add_to_compute(Task._fields["isp_job_state"], jobs)
    jobs.flush_recordset()


def _create_open_materials(env):
    env.cr.execute(
        SQL(
            """
            SELECT material.task_id, material.product_id,
                   material.quantity - COALESCE(material.qty_used, 0),
                   COALESCE(material.qty_from_van, 0) + COALESCE(material.qty_issued, 0) > 0
              FROM isp_job_material material
              JOIN project_task task ON task.id = material.task_id
             WHERE task.isp_job_state IS DISTINCT FROM %s
               AND material.quantity > COALESCE(material.qty_used, 0)
          ORDER BY material.task_id, material.sequence, material.id
            """,
            "done",
        )
    )
    rows = env.cr.fetchall()
    Task = env["project.task"]
    Move = env["stock.move"]
    to_reserve = Move
    for task_id, product_id, quantity, reserved in rows:
        move = Move.create(
            {"isp_task_id": task_id, "product_id": product_id, "product_uom_qty": quantity}
        )
        if reserved and Task.browse(task_id).isp_technician_id:
            to_reserve |= move
    to_reserve._action_confirm()
    to_reserve._action_assign()
    # The materials now live on the moves: the old table goes (Odoo keeps the tables
    # of removed models).
    env.cr.execute(SQL("DROP TABLE isp_job_material CASCADE"))
