from . import test_item_class
from . import test_loss_report
from . import test_quarantine
from . import test_security_groups
from . import test_serial_lifecycle
from . import test_serial_service
from . import test_serial_wizards
from . import test_technician
