"""The API root (project wiring, like the URL roots): the /api/v1 NinjaAPI with the routers the
apps declare. The one console module besides urls.py that names the apps."""

from __future__ import annotations

from addressbook import api as address_book_api
from console.api import make_api, mount, multipart_path
from mailer import api as mail_api
from mailer import api_files, api_suppression, api_templates

api = make_api()
mount(api, "/mails", mail_api.router)
mount(api, "/files", api_files.router, multipart=True)
mount(api, "/unsubscribers", api_suppression.unsubscribers)
mount(api, "/send-block", api_suppression.send_block)
mount(api, "/config", api_suppression.config)
mount(api, "/address-book", address_book_api.router)
mount(api, "/template", api_templates.template)
multipart_path("/template/import")
mount(api, "/category", api_templates.category)
