#!/usr/bin/python3
"""Print every Notify call the python-dbusmock notification daemon received, as JSON, then forget them.

Asks the mock itself over the session bus (org.freedesktop.DBus.Mock.GetMethodCalls), so the test compares the
exact strings that crossed D-Bus; dbusmock's text log does not escape quotes or newlines. Run it with Debian's
/usr/bin/python3, which owns the python3-dbus and python3-dbusmock modules.
"""
import json

import dbus


def plain(value):
    """dbus-python wraps every value in its own type; JSON wants the built-in ones."""
    if isinstance(value, dbus.Boolean):  # before int: dbus.Boolean is an int subclass
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return str(value)


NOTIFY_ARGS = ['appName', 'replacesId', 'appIcon', 'summary', 'body', 'actions', 'hints', 'expireTimeout']

mock = dbus.SessionBus().get_object('org.freedesktop.Notifications', '/org/freedesktop/Notifications')
calls = mock.GetMethodCalls('Notify', dbus_interface='org.freedesktop.DBus.Mock')
mock.ClearCalls(dbus_interface='org.freedesktop.DBus.Mock')
print(json.dumps([dict(zip(NOTIFY_ARGS, (plain(arg) for arg in args))) for _timestamp, args in calls]))
