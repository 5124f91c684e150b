from . import (
    isp_job_type,
    isp_job_type_material,
    isp_technician,
    project_project,
    project_task,
    project_task_type,
    res_groups,
    res_users,
    stock_lot,
    stock_move,
    stock_move_line,
    stock_picking,
)
