from . import isp_approval_reject_wizard
from . import isp_install_wizard
from . import isp_return_wizard
from . import isp_swap_wizard
from . import isp_loss_charge_wizard
