from . import (
    isp_demo_history,
    isp_job_type,
    isp_job_type_material,
    isp_technician,
    project_project,
    project_task,
    project_task_type,
    stock_lot,
    stock_move,
    stock_move_line,
    stock_picking,
)
