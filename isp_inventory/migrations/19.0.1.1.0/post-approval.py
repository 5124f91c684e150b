"""One approval engine: the approval state of existing loss reports and counts is set
from their workflow state, and the approvers' open to-dos (issuances: "To-Do", counts:
"Count Approval") become the engine's "Approval" activities."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute(
        """
        UPDATE isp_loss_report
           SET isp_approval_state = CASE state
                   WHEN 'submitted' THEN 'to_approve'
                   WHEN 'approved' THEN 'approved'
                   WHEN 'done' THEN 'approved'
                   WHEN 'rejected' THEN 'rejected'
                   ELSE 'none' END
        """
    )
    cr.execute(
        """
        UPDATE isp_stock_count
           SET isp_approval_state = CASE
                   WHEN state = 'to_approve' THEN 'to_approve'
                   WHEN state = 'done' AND isp_approved_by_id IS NOT NULL THEN 'approved'
                   WHEN state = 'counting' AND isp_rejection_reason IS NOT NULL THEN 'rejected'
                   ELSE 'none' END,
               isp_approval_requested_by_id = CASE
                   WHEN state = 'to_approve' THEN submitted_by_id END
        """
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    approval = env.ref("isp_inventory.mail_activity_type_isp_approval")
    todo = env.ref("mail.mail_activity_data_todo")
    old_count_type = env.ref(
        "isp_inventory.mail_activity_type_isp_count_approval", raise_if_not_found=False
    )
    cr.execute(
        """
        UPDATE mail_activity
           SET activity_type_id = %s
         WHERE (activity_type_id = %s)
            OR (res_model = 'stock.picking' AND activity_type_id = %s AND automated
                AND res_id IN (SELECT id FROM stock_picking
                                WHERE isp_approval_state = 'to_approve'))
        """,
        (approval.id, old_count_type.id if old_count_type else 0, todo.id),
    )
    if old_count_type:
        old_count_type.unlink()
