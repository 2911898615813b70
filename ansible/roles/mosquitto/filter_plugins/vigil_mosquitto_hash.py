"""Jinja filter: a Mosquitto 2 password-file hash ($7$, PBKDF2-HMAC-SHA512), made in Ansible.

mosquitto_passwd picks a random salt, so running it in a task would change the file on every run.
This filter derives the salt from the user and the password (HMAC-SHA256), so the same input always
gives the same line and the template stays idempotent; a different password gives a different salt.
"""

import base64
import hashlib
import hmac

from ansible.errors import AnsibleFilterError

SALT_BYTES = 12
HASH_BYTES = 64


def vigil_mosquitto_hash(password, user, iterations=101):
    if not password:
        raise AnsibleFilterError("vigil_mosquitto_hash: empty password for user %s" % user)
    secret = str(password).encode("utf-8")
    salt = hmac.new(secret, ("vigil-mosquitto-salt:" + str(user)).encode("utf-8"), hashlib.sha256).digest()[:SALT_BYTES]
    derived = hashlib.pbkdf2_hmac("sha512", secret, salt, int(iterations), HASH_BYTES)
    return "$7$%d$%s$%s" % (int(iterations), base64.b64encode(salt).decode("ascii"), base64.b64encode(derived).decode("ascii"))


class FilterModule:
    def filters(self):
        return {"vigil_mosquitto_hash": vigil_mosquitto_hash}
