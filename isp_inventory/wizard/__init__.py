from . import isp_picking_reject_wizard
