"""An SMTP server for the browser tests (aiosmtpd): every mail the platform sends is parsed
with Python's own e-mail parser and printed as one JSON line (recipients, decoded subject and
text), so the tests read mails as a mail client would, headers and transfer encoding included."""

import asyncio
import json
import sys
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Sink:
    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        body = msg.get_body(preferencelist=("plain",))
        print(json.dumps({
            "to": envelope.rcpt_tos,
            "header_to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "content_type": msg.get_content_type(),
            "text": body.get_content() if body else "",
        }), flush=True)
        return "250 OK"


async def main(port):
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    print(json.dumps({"ready": port}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
