"""Transcription of the NAVER Cloud Platform "Cloud Outbound Mailer" API v1 reference.

Pure data, no logic.  Source: the published API reference at api.ncloud-docs.com
(Korean edition is the authority; English /docs/en/ and Japanese /docs/ja/ editions,
the government-cloud mirror api-gov.ncloud-docs.com and the older "release-20240125" /
"/docs/ko/" page layout were used to fill gaps and are cited where they differ).

Conventions used below
----------------------
* Paths are relative to the base path (COMMON["base_urls"]), path params as {name}.
* "required" is a bool.  Fields the reference marks "Conditional" have
  required=False and "conditional": True.  Response fields keep the page's own
  marker in "required" ("Required" / "Optional" / "-"), because the markdown and the
  HTML renderings of the same page disagree ("-" vs "Required").
* Types are written as the page writes them ("String", "List<String>",
  "List[String]", "NesDateTime", ...).  Where editions disagree, the Korean
  type is used and the difference is listed in "notes".
* Examples are Python literals of the JSON the page shows (null -> None,
  true -> True).  A bare ``...`` (Ellipsis) stands where the page itself writes
  "..." inside a list.  Examples that the excerpts cut off are not rebuilt: what was
  visible is kept verbatim as a string under "example_fragments".
* A section that was never visible in any excerpt has the value None and the
  operation's "not_seen" list names it.  Nothing here was guessed.
* Spelling is the reference's own, even where it looks wrong (e.g. the
  TemplateStructureResponse field ``subCategoris``).
"""
from __future__ import annotations

# ---------------------------------------------------------------------------
# Common settings (overview page ai-application-service-cloudoutboundmailer)
# ---------------------------------------------------------------------------

COMMON: dict = {
    "overview_urls": [
        "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer.md",
        "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer.md",
        "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer.md",
        "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer.md",
        "https://api-gov.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer",
    ],
    "style": "RESTful, HTTP GET/POST/DELETE (overview text; the template and "
             "category pages also use PUT)",
    "base_urls": {
        # written exactly as the table shows them (KR without, SGN/JPN with a trailing slash)
        "KR": "https://mail.apigw.ntruss.com/api/v1",
        "SGN": "https://mail.apigw.ntruss.com/api/v1-sgn/",
        "JPN": "https://mail.apigw.ntruss.com/api/v1-jpn/",
    },
    "base_paths": ["/api/v1", "/api/v1-sgn", "/api/v1-jpn"],
    "gov_base_urls": {
        "KR": "https://mail.apigw.gov-ntruss.com/api/v1",
        "SGN": "https://mail.apigw.gov-ntruss.com/api/v1-sgn/",
        "JPN": "https://mail.apigw.gov-ntruss.com/api/v1-jpn/",
    },
    "request_headers": [
        {"name": "x-ncp-apigw-timestamp", "required": True,
         "description": "Milliseconds since 1970-01-01 00:00:00 UTC; a request whose "
                        "timestamp differs from the API Gateway server by 5 minutes or "
                        "more is treated as invalid. Form: x-ncp-apigw-timestamp:{Timestamp}"},
        {"name": "x-ncp-iam-access-key", "required": True,
         "description": "Access Key ID issued in the NAVER Cloud Platform portal. "
                        "Form: x-ncp-iam-access-key:{Account Access Key}"},
        {"name": "x-ncp-apigw-signature-v2", "required": True,
         "description": "Signature made with the Access Key ID and the Secret Key. "
                        "Form: x-ncp-apigw-signature-v2:{API Gateway Signature}"},
        {"name": "x-ncp-lang", "required": False, "default": "en-US",
         "description": "Language of the API response messages; example values "
                        "ko-KR, en-US, zh-CN; default en-US. Form: x-ncp-lang:{language code}"},
    ],
    "auth_note": "The API is served through NCP API Gateway; two keys (Access Key ID, "
                 "Secret Key) are needed; see the NCP API guide for signing.",
    "auth_request_example": (
        'curl -i -s -X POST \\\n'
        '-H "Content-Type:application/json" \\\n'
        '-H "x-ncp-apigw-timestamp:1521787414578" \\\n'
        '-H "x-ncp-iam-access-key:6uxz1nKkcYwUjWRG5Q1V7NsW0i5jErlu2NjBXXgy" \\\n'
        '-H "x-ncp-apigw-signature-v2:iJFK773KH0WwQ79PasqJ+ZGixtpDQ/abS57WGQdld2M=" \\\n'
        '"https://mail.apigw.ntruss.com/api/v1/mails"'
    ),
    # The overview page's own "response status codes" section and any error-body
    # example lie past what the excerpts showed.  Every operation page, however,
    # repeats the same status table; it is transcribed below from those pages
    # (e.g. createFile, deleteAddressBook, getConfig in KO/EN/JA).
    "overview_status_section": None,  # not seen
    "error_body": None,               # not seen: no page excerpt showed an error response body
    "auth_401_body": None,            # not seen: no excerpt mentions 401 at all
    "status_codes": [
        # (http, code, KO, EN, JA) as repeated on the current operation pages.
        {"http": 200, "code": None, "ko": "요청 성공", "en": "Request succeeded",
         "ja": "リクエスト成功", "note": "201 on create pages (createFile, createCategory)"},
        {"http": 400, "code": None, "ko": "인증 실패, 잘못된 요청",
         "en": "Authentication failed, invalid request", "ja": "認証失敗、無効なリクエスト"},
        {"http": 400, "code": 77101, "ko": "로그인 정보 오류", "en": "Error in login information",
         "ja": "ログイン情報エラー"},
        {"http": 400, "code": 77102, "ko": "요청 오류", "en": "Request error", "ja": "リクエストエラー"},
        {"http": 400, "code": 77103, "ko": "요청한 리소스가 존재하지 않음",
         "en": "Requested resource does not exist", "ja": "リクエストしたリソースが存在しない"},
        {"http": 403, "code": 77201, "ko": "요청한 리소스에 대한 권한이 없음",
         "en": "No permissions to the requested resource",
         "ja": "リクエストしたリソースに対する権限がない"},
        {"http": 403, "code": 77202, "ko": "이메일 서비스 사용을 신청하지 않은 사용자가 호출한 경우",
         "en": "Call from a user who hasn't subscribed to the email service",
         "ja": "メールサービスの使用を申し込んでいないユーザーが呼び出した場合"},
        {"http": 405, "code": 77001, "ko": "지원되지 않는 메서드 유형", "en": "Unsupported method type",
         "ja": "サポートしないメソッドタイプ"},
        {"http": 415, "code": 77002, "ko": "지원되지 않는 미디어 유형", "en": "Unsupported media type",
         "ja": "サポートしないメディアタイプ"},
        {"http": 500, "code": None, "ko": "서버 오류", "en": None, "ja": "サーバエラー"},
        {"http": 500, "code": 77301, "ko": "기본 프로젝트가 존재하지 않음", "en": None,
         "ja": "基本プロジェクトが存在しない"},
        {"http": 500, "code": 77302, "ko": "외부 시스템 API 연동 오류", "en": None,
         "ja": "外部システム API連携エラー"},
        {"http": 500, "code": 77303, "ko": "그 외 내부 서버 오류", "en": None,
         "ja": "その他の内部サーバエラー"},
    ],
    # Older page layout ("오류 코드" table on docs/ko and release-20240125 pages).
    "legacy_error_table": [
        {"http": 400, "code": 77101, "message": "로그인 정보 오류"},
        {"http": 400, "code": 77102, "message": "BAD_REQUEST"},
        {"http": 400, "code": 77103, "message": "리소스가 존재하지 않음"},
        {"http": 403, "code": 77201, "message": "권한 없음"},
        {"http": 403, "code": 77202, "message": "Email 상품 사용신청 하지 않음"},
        {"http": 405, "code": 77001, "message": "METHOD_NOT_ALLOWED"},
        {"http": 415, "code": 77002, "message": "UNSUPPORTED_MEDIA_TYPE"},
        {"http": 500, "code": 77301, "message": "기본 프로젝트가 존재하지 않음"},
        {"http": 500, "code": 77302, "message": "외부 시스템 API 연동 오류"},
        {"http": 500, "code": 77303, "message": "그외 INTERNAL_SERVER_ERROR"},
    ],
    "legacy_status_lines": "Old pages list only three HTTP lines per operation: the "
                           "success code (200 or 201), '400 인증 실패, 잘못된 요청', '500 서버 오류'.",
    "date_formats_accepted": ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss.SSS",
                              "yyyy-MM-dd HH:mm:ss SSS"],
    "date_time_zone": "UTC+9:00 for the *DateTime query strings; *Utc are ms since epoch "
                      "and take precedence (EN getUnsubscribersList says '(UTC:00)')",
    "sort_param_format": "property(,asc|desc); asc is the default; several sort "
                         "criteria may be given",
    "pagination_params": {"size": 10, "page": 0},
    "notes": [
        "A secondary, non-authoritative research file in a public GitHub repo was "
        "found during the search; it was NOT used as a source for any field here.",
    ],
}

# Status table reference used by operation entries.
_STD = "standard status table on this page (see COMMON['status_codes'])"

# ---------------------------------------------------------------------------
# Operations
# ---------------------------------------------------------------------------

OPERATIONS: dict[str, dict] = {

    # ------------------------------------------------------------------ mail
    "createMailRequest": {
        "method": "POST",
        "path": "/mails",
        "summary": "Request an email send (recipients, sender, content); processed asynchronously.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-createmailrequest.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-createmailrequest",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-createmailrequest",
            "https://api-gov.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-createmailrequest",
        ],
        "limits": [
            "Up to 100,000 recipients at once, processed 30 at a time by default; more "
            "than 100,000 possible with recipientGroupFilter.",
            "Cc and Bcc: up to 30 each.",
            "Body: up to 500 KB.",
            "Default send limit 1,000,000 per month (raise via support).",
            "The send limit counts recipients: a request to 100 recipients counts as 100.",
        ],
        "query": [],
        "path_params": [],
        # Only the first part of the body table was visible (up to reservationUtc in the
        # old gov KO page; up to 'advertising' in the current pages).  The rest of the
        # table (recipients, recipientGroupFilter, attachFileIds, unsubscribe fields,
        # reservationDateTime, ...) was never visible.
        "body": [
            {"name": "senderAddress", "type": "String", "required": False, "conditional": True,
             "description": "Sender address; required when templateSid is not set; any domain "
                            "allowed but own domain recommended (DMARC); naver.com, "
                            "navercorp.com, ncloud.com etc. not allowed."},
            {"name": "senderName", "type": "String", "required": False,
             "description": "Sender name (Byte 0~69; old page: Max:69)"},
            {"name": "templateSid", "type": "Integer", "required": False,
             "description": "SID of the template used to compose the mail"},
            {"name": "title", "type": "String", "required": False, "conditional": True,
             "description": "Subject (Byte 0~500); required when templateSid is not set"},
            {"name": "body", "type": "String", "required": False, "conditional": True,
             "description": "Body (KB 0~500; for advertising mail the unsubscribe message "
                            "counts); required when templateSid is not set"},
            {"name": "individual", "type": "Boolean", "required": False, "default": True,
             "description": "true: individual send (recipients may only be type R; several "
                            "R are sent separately; C/B not allowed); false: general send"},
            {"name": "confirmAndSend", "type": "Boolean", "required": False,
             "description": "true: send after confirmation; false: send at once"},
            {"name": "advertising", "type": "Boolean", "required": False,
             "description": "true: advertising mail; false: normal mail"},
            {"name": "parameters", "type": "Object", "required": False,
             "description": "Substitution parameters for all recipients: map of "
                            "substitution ID -> value (seen only on the old gov KO page)"},
            {"name": "referencesHeader", "type": "String", "required": False,
             "description": "Max 100, form <unique_id@domain.com>; lets NAVER Mail group "
                            "mails with the same value (seen only on the old gov KO page)"},
            {"name": "reservationUtc", "type": "Long", "required": False,
             "description": "Reserved send time, ms since epoch (description cut off; seen "
                            "only on the old gov KO page)"},
        ],
        "body_complete": False,
        "response_status": None,   # not seen
        "response": None,          # not seen
        "response_type": None,
        "request_examples": None,  # not seen
        "response_examples": None,  # not seen
        "errors": None,
        "not_seen": ["body fields after reservationUtc", "request example", "response body",
                     "response status", "response example", "status table"],
        "notes": [
            "Linked data types (names only): RecipientForRequest and RecipientGroupFilter "
            "exist as data-type pages; the recipients/recipientGroupFilter rows themselves "
            "were not visible.",
            "KO/JA call the template-less requirement 'Conditional'; senderName max "
            "'Byte 0~69' (JA) vs 'Max:69' (old KO).",
            "Unverified (secondary source, not the reference): success 201 with body "
            "{requestId, count}. Treat as not seen.",
        ],
    },

    "getMailRequestList": {
        "method": "GET",
        "path": "/mails/requests",
        "summary": "List mail send requests in a period.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-getmailrequestlist.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-getmailrequestlist",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-getmailrequestlist",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-getmailrequestlist",
            "https://api-gov.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-getmailrequestlist",
        ],
        "query": [
            {"name": "startUtc", "type": "Long", "required": False, "conditional": True,
             "description": "Start of period, ms since epoch; startUtc or startDateTime is "
                            "required; takes precedence over startDateTime"},
            {"name": "startDateTime", "type": "String", "required": False, "conditional": True,
             "description": "Start of period (UTC+9:00) in one of COMMON['date_formats_accepted']"},
            {"name": "endUtc", "type": "Long", "required": False, "conditional": True,
             "description": "End of period, ms since epoch; endUtc or endDateTime is "
                            "required; takes precedence over endDateTime"},
            {"name": "endDateTime", "type": "String", "required": False, "conditional": True,
             "description": "End of period (UTC+9:00) in one of COMMON['date_formats_accepted']"},
            {"name": "requestId", "type": "String", "required": False,
             "description": "Send request ID (one request may contain several mailId)"},
            {"name": "mailId", "type": "String", "required": False,
             "description": "Mail ID"},
            {"name": "dispatchType", "type": "String", "required": False,
             "description": "Tool used to request the send: CONSOLE | API"},
            {"name": "title", "type": "String", "required": False,
             "description": "Mail subject; like search"},
            {"name": "templateSid", "type": "Integer", "required": False,
             "description": "SID of the template used"},
            {"name": "senderAddress", "type": "String", "required": False,
             "description": "Sender email address"},
            {"name": "recipientAddress", "type": "String", "required": False,
             "description": "Recipient email address"},
            {"name": "sendStatus", "type": "List<String>", "required": False,
             "description": "P preparing, R ready, I sending, S sent, F failed, "
                            "U unsubscribed, C cancelled, PF partly failed"},
            {"name": "size", "type": "Integer", "required": False, "default": 10,
             "description": "Records per page (old gov KO page)"},
            {"name": "page", "type": "Integer", "required": False, "default": 0,
             "description": "Page index 0..N (old gov KO page)"},
            {"name": "sort", "type": "String", "required": False,
             "description": "Sort field(s); the allowed list was cut off after 'cr'"},
        ],
        "path_params": [],
        "body": [],
        "response_status": None,   # not seen
        "response": None,          # not seen
        "response_type": "RequestListResponse",
        "request_examples": None,  # not seen
        "response_examples": None,  # not seen
        "errors": None,
        "not_seen": ["sort value list", "request example", "response body",
                     "response status", "response example"],
        "notes": [
            "response_type is inferred only from the existence of the RequestListResponse "
            "data-type page ('요청 목록 조회 내용'); the response table itself was not visible.",
            "size/page/sort were visible only on the old gov KO page; the current pages "
            "were cut off after sendStatus.",
        ],
    },

    "getMailRequestStatus": {
        "method": "GET",
        "path": "/mails/requests/{requestId}/status",
        "summary": "Show how a send request was processed and counts per status.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-getmailrequeststatus.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-getmailrequeststatus",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-getmailrequeststatus",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-getmailrequeststatus",
        ],
        "query": [],
        "path_params": [
            {"name": "requestId", "type": "String", "required": True,
             "description": "Send request ID (may contain several mailId)"},
        ],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "requestId", "type": "String", "required": "Required",
             "description": "Send request ID"},
            {"name": "readyCompleted", "type": "Boolean", "required": "Required",
             "description": "All requested mails entered in the DB and ready (true also once sent)"},
            {"name": "allSentSuccess", "type": "Boolean", "required": "Required",
             "description": "Whether every requested mail was sent successfully"},
            {"name": "requestCount", "type": "Integer", "required": "Required",
             "description": "Number of requested mails"},
            {"name": "sentCount", "type": "Integer", "required": "Required",
             "description": "Number sent successfully"},
            {"name": "finishCount", "type": "Integer", "required": "Required",
             "description": "Number processed (success, failure, unsubscribed, cancelled)"},
            {"name": "readyCount", "type": "Integer", "required": "Required",
             "description": "Number ready or sent (entered in the DB for sending)"},
            {"name": "reservationDate", "type": "NesDateTime", "required": "Optional",
             "description": "Reserved date and time"},
            {"name": "countsByStatus", "type": "List<CountByStatus>", "required": "Required",
             "description": "Mail counts per status"},
        ],
        "response_type": "CountByStatus",
        "request_examples": ["GET /mails/requests/20181126000000246001/status"],
        "response_examples": [
            {
                "requestId": "20181126000000246001",
                "readyCompleted": True,
                "allSentSuccess": False,
                "requestCount": 35179,
                "sentCount": 33502,
                "finishCount": 35179,
                "readyCount": 35179,
                "reservationDate": None,
                "countsByStatus": [
                    {"status": {"label": "Failed to send", "code": "F"}, "count": 1415},
                    {"status": {"label": "Sent successfully", "code": "S"}, "count": 33502},
                    {"status": {"label": "Unsubscribe", "code": "U"}, "count": 262},
                ],
            },
        ],
        "errors": _STD + "; old KO page: 200 / 400 / 500 plus legacy table",
        "not_seen": [],
        "notes": [
            "Response table from the JA HTML edition (the KO .md excerpt stopped at the "
            "heading); the example is from the old docs/ko page.",
        ],
    },

    "getMailList": {
        "method": "GET",
        "path": "/mails/requests/{requestId}/mails",
        "summary": "List the mails created by one send request.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-getmaillist.md",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-getmaillist",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-getmaillist",
            "https://api-gov.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-getmaillist",
        ],
        "query": [
            {"name": "mailId", "type": "String", "required": False, "description": "Mail ID"},
            {"name": "recipientAddress", "type": "String", "required": False,
             "description": "Recipient email address"},
            {"name": "title", "type": "String", "required": False,
             "description": "Subject; like search"},
            {"name": "sendStatus", "type": "List[String]", "required": False,
             "description": "R ready, I sending, S sent, F failed, U unsubscribed, "
                            "C cancelled, PF partly failed (no P here); repeatable"},
            {"name": "size", "type": "Integer", "required": False, "default": 10,
             "description": "Records per page"},
            {"name": "page", "type": "Integer", "required": False, "default": 0,
             "description": "Page index, 0 or greater"},
            {"name": "sort", "type": "String", "required": False,
             "description": "id (mailId) | createUtc | statusCode; property(,asc|desc); "
                            "asc default; several allowed"},
        ],
        "path_params": [
            {"name": "requestId", "type": "String", "required": True,
             "description": "Send request ID"},
        ],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "content", "type": "List<MailListResponse>", "required": None,
             "description": "Mails of the request (rest of the table cut off)"},
        ],
        "response_complete": False,
        "response_type": "MailListResponse",
        "request_examples": ["size=5&sendStatus=S&sendStatus=PF&page=0"],
        "response_examples": None,
        "example_fragments": [
            '{"content": [{"requestId": "20181120000000010999","requestDate": {"utc": '
            '1542694793101,"formattedDate": "2018-11-20","formattedDateTime": '
            '"2018-11-20 15:19:53 101"},"mailId": "20181120000000011009","title": "test!",'
            '"templateSid": 41,"templateName": "test2","emailStatus": {"label": "일부실패",'
            '"code": "PF"},"senderAddress": "a@ac.om","sen',
        ],
        "errors": "old pages: 200 success / 400 / 500",
        "not_seen": ["response fields after content (pagination fields)",
                     "full response example"],
        "notes": [
            "KO .md writes sendStatus as List[String]; JA HTML and old pages write "
            "List<String>.",
            "response_status 200 is from the old page; the current page's table was not visible.",
        ],
    },

    "getMail": {
        "method": "GET",
        "path": "/mails/{mailId}",
        "summary": "Get one mail's details (content, attachments, recipients).",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-getmail.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-getmail",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-getmail",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-getmail",
        ],
        "query": [],
        "path_params": [
            {"name": "mailId", "type": "String", "required": True,
             "description": "Unique ID of one mail"},
        ],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "requestId", "type": "String", "required": "Required", "description": "Send request ID"},
            {"name": "requesterIp", "type": "String", "required": "Required", "description": "IP of the requester"},
            {"name": "requestDate", "type": "NesDateTime", "required": "Required", "description": "Request date"},
            {"name": "mailId", "type": "String", "required": "Required", "description": "Mail ID"},
            {"name": "title", "type": "String", "required": "Required", "description": "Subject"},
            {"name": "templateSid", "type": "Integer", "required": "Optional", "description": "Template SID"},
            {"name": "templateName", "type": "String", "required": "Required", "description": "Template name"},
            {"name": "emailStatus", "type": "EmailStatus", "required": "Required", "description": "Send status"},
            {"name": "senderAddress", "type": "String", "required": "Required", "description": "Sender address"},
            {"name": "senderName", "type": "String", "required": "Optional", "description": "Sender name"},
            {"name": "sendDate", "type": "NesDateTime", "required": "Optional", "description": "Send completion date"},
            {"name": "reservationDate", "type": "NesDateTime", "required": "Optional", "description": "Reserved date"},
            {"name": "body", "type": "String", "required": "Required", "description": "Mail body"},
            {"name": "referencesHeader", "type": "String", "required": "Optional",
             "description": "References header, 0~100 chars, <unique_id@domain.com>; only the "
                            "top-most value is used for NAVER Mail threading"},
        ],
        "response_complete": False,
        "response_type": None,
        "request_examples": ["GET /mails/20181120000000011009"],
        "response_examples": None,
        "example_fragments": [
            '{"requestId":"20181120000000010999","requesterIp":"10.78.xx.73","requestDate":'
            '{"utc":1542694793240,"formattedDate":"2018-11-20","formattedDateTime":'
            '"2018-11-20 15:19:53 240"},"mailId":"20181120000000011009","title":"test!",'
            '"templateSid":41,"templateName":"test2","emailStatus":{"label":"일부실패",'
            '"code":"PF"},"senderAddress":"a@ac.om","senderName":null,"sendDate":{"utc":'
            '1542694793856,"formattedDate":"2018-11-20","formattedDateTime":'
            '"2018-11-20 15:19:53 856"},"reservationDate":null,"body":"<body>...</body>",'
            '"referencesHeader":null,"attachFiles":[],"recipients":[{"address":'
            '"test123456789@ncp-mail.com","name":"","type":{"label":"수신자","code":"R"},'
            '"received":false,"receivedDate":null,"status":{"label":"발송실패","code":"F"},'
            '"retryCount":0,"sendResultMessage":"550 5.1.1 No such user '
            '3vir-yOYtA9fRTlWpjkR3 - nsmtp\\n","sendResultCode":"RECIPIENT_ADDRESS_ERROR",'
            '"sendResultCodeMessage":"수신자 주소 오류로 발송 실패했습니다."},{"address":'
            '"test12@ncp-mail.com","name":"","type":{"label":"수신자","code":"R"},"received',
        ],
        "errors": "old page: 200 / 400 / 500",
        "not_seen": ["response rows after referencesHeader (the example shows attachFiles "
                     "and recipients, but their table rows were cut off)",
                     "rest of the response example"],
        "notes": [
            "The example shows attachFiles (list) and recipients (objects shaped like the "
            "Recipient data type, with type and status as {label, code} objects).",
            "KO .md lists every response field with required '-' and requestDate as "
            "'Object' (link to NesDateTime); the HTML editions show 'NesDateTime Required'.",
            "Summary text on every edition says 'get the list of mails requested' although "
            "the operation returns one mail.",
            "Example path uses mailId 20181120000000011009 (old) / 20181120000000010999 "
            "(current curl, which is actually the requestId of the old example).",
        ],
    },

    # ------------------------------------------------------------------ files
    "createFile": {
        "method": "POST",
        "path": "/files",
        "summary": "Upload files, e.g. for attachments.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-createfile.md",
            "https://api.ncloud-docs.com/en/createfile",
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-createfile",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-createfile",
        ],
        "query": [],
        "path_params": [],
        "body": [
            {"name": "fileList", "type": "File", "required": True,
             "description": "File to upload (multipart/form-data part named fileList)"},
        ],
        "body_encoding": "multipart",
        "response_status": 201,
        "response": [
            {"name": "tempRequestId", "type": "String", "required": "Required",
             "description": "Temporary request ID made at upload; used to get or delete the files"},
            {"name": "files", "type": "List<AttachFile>", "required": "Required",
             "description": "Uploaded files (gov .md: a file attached to mail must be 10 MB or less)"},
        ],
        "response_type": "AttachFile",
        "request_examples": [
            "--form 'fileList=@\"/E:/desktop/test.txt\"'",
            '-H "Content-Type: multipart/form-data" ... '
            '-F "fileList=@template_20211020113533.json;filename=template.json"',
        ],
        "response_examples": [
            {"tempRequestId": "f355aac1-7776-4c0b-8484-20eaa065cb65-99",
             "files": [{"fileName": "test.txt", "fileSize": 16,
                        "fileId": "40fe58bd-91fe-4f89-a62e-705a7c17d65e-99"}]},
        ],
        "errors": _STD,
        "not_seen": [],
        "notes": [
            "Old KO page: an uploaded file's fileId can be reused for 24 hours after upload; "
            "after 24 hours the file is deleted and the fileId becomes invalid.",
            "KO .md marks tempRequestId/files '-' and files as 'List'; HTML editions say "
            "Required / List<AttachFile>.",
            "EN HTML describes files as 'List of file to upload'.",
        ],
    },

    "getFile": {
        "method": "GET",
        "path": "/files/{tempRequestId}",
        "summary": "Get the files of an upload.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-getfile.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-getfile",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-getfile",
        ],
        "query": [],
        "path_params": [
            {"name": "tempRequestId", "type": "String", "required": True,
             "description": "Temporary request ID returned by createFile"},
        ],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "tempRequestId", "type": "String", "required": "Required",
             "description": "Temporary request ID made at upload"},
            {"name": "files", "type": "List<AttachFile>", "required": "Required",
             "description": "Uploaded files"},
        ],
        "response_type": "AttachFile",
        "request_examples": ["GET /files/f355aac1-7776-4c0b-8484-20eaa065cb65-99"],
        "response_examples": [
            {"tempRequestId": "f355aac1-7776-4c0b-8484-20eaa065cb65-99",
             "files": [{"fileName": "test.txt", "fileSize": 16,
                        "fileId": "40fe58bd-91fe-4f89-a62e-705a7c17d65e-99"}]},
        ],
        "errors": _STD,
        "not_seen": [],
        "notes": ["Example from the old docs/ko page ('저장된 파일 조회')."],
    },

    "deleteFile": {
        "method": "DELETE",
        "path": "/files/{tempRequestId}",
        "summary": "Delete unused uploaded files.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deletefile.md",
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deletefile",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-deletefile.md",
        ],
        "query": [],
        "path_params": [
            {"name": "tempRequestId", "type": "String", "required": True,
             "description": "Temporary request ID returned by createFile"},
        ],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "tempRequestId", "type": "String", "required": "Required",
             "description": "Temporary request ID made at upload"},
            {"name": "files", "type": "List<AttachFile>", "required": "Required",
             "description": "Uploaded (now deleted) files"},
        ],
        "response_type": "AttachFile",
        "request_examples": ["DELETE /files/f355aac1-7776-4c0b-8484-20eaa065cb65-99"],
        "response_examples": None,
        "example_fragments": [
            '{"tempRequestId":"f355aac1-7776-4c0b-8484-20eaa065cb65-99","files":[{"fileName":'
            '"test.txt","fileSize"',
        ],
        "errors": _STD,
        "not_seen": ["rest of the response example"],
        "notes": [],
    },

    # ------------------------------------------------------------ address book
    "createAddressBook": {
        "method": "POST",
        "path": "/address-book",
        "summary": "Create/extend the address book from recipient groups and addresses (async).",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-createaddressbook.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-createaddressbook",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-createaddressbook",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-createaddressbook",
        ],
        "query": [],
        "path_params": [],
        "body": [
            {"name": "groups", "type": "List<AddressBookRequest>", "required": True,
             "description": "Recipient groups; group name 1-100 chars of Korean, letters, "
                            "digits, '.', '_', '-'; addresses comma-separated"},
        ],
        "response_status": 201,
        "response": [
            {"name": "totalAddressCount", "type": "Integer", "required": "Required",
             "description": "Total email addresses (JA: total requested addresses)"},
            {"name": "groups", "type": "List<AddressBookResponse>", "required": "Optional",
             "description": "Recipient groups"},
        ],
        "response_type": "AddressBookResponse",
        "request_examples": [
            {"groups": [
                {"groupName": "10대", "emailAddresses": ["xxx@naver.com", ...]},
                {"groupName": "남자", "emailAddresses": ["xxx@daum.net", ...]},
            ]},
        ],
        "response_examples": [
            {"totalAddressCount": 4300,
             "groups": [{"sid": 155, "groupName": "10대", "addressCount": 3900},
                        {"sid": 159, "groupName": "남자", "addressCount": 1000}]},
        ],
        "errors": _STD + " (JA edition); old KO page: legacy table",
        "not_seen": [],
        "notes": [
            "The response is the address-book state just BEFORE the request; creation "
            "runs asynchronously.  Upsert: existing groups get the new addresses, missing "
            "groups are created.",
            "KO .md writes groups' type as plain 'List' (link to AddressBookRequest); "
            "EN/JA HTML and old KO write List<AddressBookRequest>.",
            "Examples use groupName '10대'/'남자' (KO), 'Teens' (EN), '10代'/'男性' (JA).",
        ],
    },

    "getAddressBook": {
        "method": "GET",
        "path": "/address-book",
        "summary": "Get the account's address book status (total and per-group counts).",
        "urls": [
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-getaddressbook",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-getaddressbook",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-getaddressbook",
        ],
        "query": [],
        "path_params": [],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "totalAddressCount", "type": "Integer", "required": "Required",
             "description": "Total email addresses"},
            {"name": "groups", "type": "List<AddressBookResponse>", "required": "Optional",
             "description": "Recipient group info"},
        ],
        "response_type": "AddressBookResponse",
        "request_examples": ["GET /address-book"],
        "response_examples": [
            # Page JSON lacks the closing ']' of "groups"; structure as intended.
            {"totalAddressCount": 4300,
             "groups": [{"sid": 155, "groupName": "10대", "addressCount": 3900},
                        {"sid": 159, "groupName": "남자", "addressCount": 1000}]},
        ],
        "errors": _STD,
        "not_seen": [],
        "notes": ["The page's response example is malformed JSON (']' missing before the "
                  "final '}'), in KO, JA and old editions."],
    },

    "deleteAddressBook": {
        "method": "DELETE",
        "path": "/address-book",
        "summary": "Delete the whole address book (all addresses and groups).",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deleteaddressbook.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-deleteaddressbook",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-deleteaddressbook",
        ],
        "query": [],
        "path_params": [],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "deletedAddressCount", "type": "Integer", "required": "Required",
             "description": "Number of deleted email addresses"},
        ],
        "response_type": None,
        "request_examples": ["DELETE /address-book"],
        "response_examples": [{"deletedAddressCount": 4300}],
        "errors": _STD,
        "not_seen": [],
        "notes": ["KO .md marks deletedAddressCount '-'."],
    },

    "deleteAddress": {
        "method": "DELETE",
        "path": "/address-book/address",
        "summary": "Delete registered addresses (and their group memberships).",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deleteaddress.md",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-deleteaddress",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-deleteaddress",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-deleteaddress",
        ],
        "query": [],
        "path_params": [],
        "body": [
            {"name": "emailAddresses", "type": "List[String]", "required": True,
             "description": "Recipient email addresses to delete"},
        ],
        "body_content_type": "application/json (DELETE with a JSON body)",
        "response_status": 200,
        "response": [
            {"name": "totalAddressCount", "type": "Integer", "required": "Required",
             "description": "Total email addresses"},
            {"name": "groups", "type": "List<AddressBookResponse>", "required": "Optional",
             "description": "Recipient group info"},
        ],
        "response_type": "AddressBookResponse",
        "request_examples": [{"emailAddresses": ["xxx@naver.com", "xxx@daum.net", ...]}],
        "response_examples": [
            # old page; JSON lacks the closing ']'
            {"totalAddressCount": 4300,
             "groups": [{"sid": 155, "groupName": "10대", "addressCount": 3900},
                        {"sid": 159, "groupName": "남자", "addressCount": 1000}]},
        ],
        "errors": _STD + " (JA edition)",
        "not_seen": [],
        "notes": [
            "KO/EN .md type List[String]; JA/EN HTML and old KO List<String>.",
            "Response example only on the old page (malformed like getAddressBook's).",
        ],
    },

    "deleteRecipientGroup": {
        "method": "DELETE",
        "path": "/address-book/recipient-groups",
        "summary": "Delete a recipient group (its addresses stay).",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deleterecipientgroup.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-deleterecipientgroup",
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deleterecipientgroup",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-deleterecipientgroup",
        ],
        "query": [
            {"name": "groupName", "type": "String", "required": True,
             "description": "Name of the recipient group to delete"},
        ],
        "path_params": [],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "totalAddressCount", "type": "Integer", "required": "Required",
             "description": "Total email addresses"},
            {"name": "groups", "type": "List<AddressBookResponse>", "required": "Optional",
             "description": "Recipient group info"},
        ],
        "response_type": "AddressBookResponse",
        "request_examples": ["groupName=20대"],
        "response_examples": [
            {"totalAddressCount": 4300,
             "groups": [{"sid": 155, "groupName": "10대", "addressCount": 3900},
                        {"sid": 159, "groupName": "남자", "addressCount": 1000}]},
        ],
        "errors": _STD,
        "not_seen": [],
        "notes": [
            "groupName is a QUERY parameter (EN example groupName=20s).",
            "Response example from the old page (malformed JSON, ']' missing).",
        ],
    },

    "deleteRecipientGroupRelation": {
        "method": "DELETE",
        "path": "/address-book/recipient-groups/address",
        "summary": "Remove addresses from one recipient group (addresses stay).",
        "urls": [
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-deleterecipientgrouprelation",
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deleterecipientgrouprelation",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-deleterecipientgrouprelation",
        ],
        "query": [],
        "path_params": [],
        "body": [
            {"name": "groupName", "type": "String", "required": True,
             "description": "Name of the target recipient group"},
            {"name": "emailAddresses", "type": "List<String>", "required": True,
             "description": "Recipient email addresses to remove from the group"},
        ],
        "body_content_type": "application/json (DELETE with a JSON body)",
        "response_status": 200,
        "response": [
            {"name": "totalAddressCount", "type": "Integer", "required": "Required",
             "description": "Total email addresses"},
            {"name": "groups", "type": "List<AddressBookResponse>", "required": "Optional",
             "description": "Recipient group info"},
        ],
        "response_type": "AddressBookResponse",
        "request_examples": [{"groupName": "10대", "emailAddresses": ["a@naver.com", "b@daum.net"]}],
        "response_examples": [
            {"totalAddressCount": 4300,
             "groups": [{"sid": 155, "groupName": "10대", "addressCount": 3900},
                        {"sid": 159, "groupName": "남자", "addressCount": 1000}]},
        ],
        "errors": _STD,
        "not_seen": [],
        "notes": ["EN example uses groupName 'Teens'.  Response example from the old page "
                  "(malformed JSON)."],
    },

    "deleteRecipientGroupRelationEmpty": {
        "method": "DELETE",
        "path": "/address-book/recipient-groups/address/empty",
        "summary": "Empty a recipient group (remove all its addresses; addresses stay).",
        "urls": [
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-deleterecipientgrouprelationempty",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-deleterecipientgrouprelationempty",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-deleterecipientgrouprelationempty",
        ],
        "query": [
            {"name": "groupName", "type": "String", "required": True,
             "description": "Name of the target recipient group"},
        ],
        "path_params": [],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "totalAddressCount", "type": "Integer", "required": "Required",
             "description": "Total email addresses"},
            {"name": "groups", "type": "List<AddressBookResponse>", "required": "Optional",
             "description": "Recipient group info"},
        ],
        "response_type": "AddressBookResponse",
        "request_examples": ["groupName=10대"],
        "response_examples": [
            {"totalAddressCount": 4300,
             "groups": [{"sid": 155, "groupName": "10대", "addressCount": 0},
                        {"sid": 159, "groupName": "남자", "addressCount": 1000}]},
        ],
        "errors": _STD,
        "not_seen": [],
        "notes": ["groupName is a QUERY parameter (EN example groupName=10s).  Example "
                  "from the old page (malformed JSON, ']' missing)."],
    },

    # --------------------------------------------- unsubscribers / block / config
    "getUnsubscribers": {
        "method": "GET",
        "path": "/unsubscribers",
        "summary": "List the addresses on the unsubscribe list.",
        "page_title": "getUnsubscribersList",
        "urls": [
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-getunsubscriberslist",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-getunsubscriberslist",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-getunsubscriberslist",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-getunsubscriberslist",
        ],
        "query": [
            {"name": "startUtc", "type": "Long", "required": False,
             "description": "Start of unsubscribe registration time, ms since epoch; "
                            "startUtc or startDateTime must be given; wins over startDateTime"},
            {"name": "startDateTime", "type": "String", "required": False,
             "description": "Start (UTC+09:00) in COMMON['date_formats_accepted']"},
            {"name": "endUtc", "type": "Long", "required": False,
             "description": "End, ms since epoch; endUtc or endDateTime must be given"},
            {"name": "endDateTime", "type": "String", "required": False,
             "description": "End (UTC+09:00) in COMMON['date_formats_accepted']"},
            {"name": "emailAddress", "type": "String", "required": False,
             "description": "A specific address to look for"},
            {"name": "isRegByManager", "type": "Boolean", "required": False,
             "description": "true: registered by an admin; false: by the recipient"},
            {"name": "size", "type": "Integer", "required": False, "default": 10,
             "description": "Records per page"},
            {"name": "page", "type": "Integer", "required": False, "default": 0,
             "description": "Page index, 0 or greater"},
            {"name": "sort", "type": "String", "required": False,
             "description": "createUtc | isRegByManager; property(,asc|desc); asc default"},
        ],
        "path_params": [],
        "body": [],
        "response_status": 200,
        "response": None,  # not seen
        "response_type": "UnsubscribersListResponse",
        "request_examples": ["startDateTime=2018-11-01%2000:00&size=5&page=0&endDateTime=2019-02-20%2023:59"],
        "response_examples": None,
        "errors": "old pages: 200 / 400 / 500",
        "not_seen": ["response body table", "response example"],
        "notes": [
            "The page is titled getUnsubscribersList.",
            "start/end are 'Optional' in the table yet the text says one of each pair "
            "must be entered (old pages: 'No ... 둘 중 하나는 필수').",
            "EN says the *DateTime values are '(UTC:00)'; KO/JA say UTC+09:00.",
            "response_type inferred from the UnsubscribersListResponse page "
            "('수신 거부 목록 조회 내용'); the response table was not visible.",
            "response_status 200 from the old page.",
        ],
    },

    "registerUnsubscribers": {
        "method": "POST",
        "path": "/unsubscribers",
        "summary": "Register addresses on the (advertising-mail) unsubscribe list.",
        "urls": [
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-registerunsubscribers",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-registerunsubscribers.md",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-registerunsubscribers",
        ],
        "query": [],
        "path_params": [],
        "body": [
            {"name": "blockedReceivers", "type": "List<String>", "required": True,
             "description": "Recipient email addresses to register"},
        ],
        "response_status": 201,
        "response": [
            {"name": "count", "type": "Integer", "required": "Required",
             "description": "Addresses registered among those requested"},
            {"name": "requestCount", "type": "Integer", "required": "Required",
             "description": "Addresses requested"},
            {"name": "ignoreCount", "type": "Integer", "required": "Required",
             "description": "Addresses not registered among those requested"},
        ],
        "response_type": None,
        "request_examples": [
            {"blockedReceivers": ["xxx@naver.com", "xxx@daum.net"]},
            {"blockedReceivers": ["xxx@naver.com", "xxx@daum.net", ...]},
        ],
        "response_examples": [{"count": 100, "requestCount": 100, "ignoreCount": 0}],
        "errors": "old KO page: legacy table",
        "not_seen": ["current page's status table (201 is from the old KO page)"],
        "notes": [
            "First request example: current EN page; second: old KO page.",
            "EN .md type List[String]; EN HTML / old KO List<String>.",
            "Old KO: '201 주소 등록 완료'.",
        ],
    },

    "deleteUnsubscribers": {
        "method": "DELETE",
        "path": "/unsubscribers",
        "summary": "Remove addresses from the unsubscribe list.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deleteunsubscribers.md",
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deleteunsubscribers",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-deleteunsubscribers",
            "https://api-gov.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-deleteunsubscribers",
        ],
        "query": [],
        "path_params": [],
        "body": [
            {"name": "blockedReceivers", "type": "List[String]", "required": True,
             "description": "Recipient email addresses to remove"},
        ],
        "body_content_type": "application/json (DELETE with a JSON body)",
        "response_status": 200,
        "response": [
            {"name": "count", "type": "Integer", "required": "Required",
             "description": "Addresses removed from the list among those requested"},
            {"name": "requestCount", "type": "Integer", "required": "Required",
             "description": "Addresses requested for removal"},
            {"name": "ignoreCount", "type": "Integer", "required": "Required",
             "description": "Addresses not removed among those requested"},
        ],
        "response_type": None,
        "request_examples": [
            {"blockedReceivers": ["xxx@naver.com", "xxx@daum.net"]},
            {"blockedReceivers": ["xxx@naver.com", "xxx@daum.net", ...]},
        ],
        "response_examples": [{"count": 100, "requestCount": 100, "ignoreCount": 0}],
        "errors": _STD,
        "not_seen": [],
        "notes": [
            "KO .md: List[String] and required '-' on response fields; HTML: List<String>, Required.",
            "Response example from the old gov KO page; second request example too.",
            "gov .md curl has a typo host 'mail.apigw.gov-truss.com'.",
        ],
    },

    "getSendBlockList": {
        "method": "GET",
        "path": "/send-block",
        "summary": "Get the send-block history and current block status of one address.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-getsendblocklist",
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-getsendblocklist.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-getsendblocklist",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-getsendblocklist",
        ],
        "query": [
            {"name": "size", "type": "Integer", "required": False, "default": 10,
             "description": "Records per page"},
            {"name": "page", "type": "Integer", "required": False, "default": 0,
             "description": "Page index, 0 or greater"},
            {"name": "sort", "type": "String", "required": False, "default": "createUtc",
             "description": "createUtc (creation time); property(,asc|desc); asc default; several allowed"},
            {"name": "targetAddress", "type": "String", "required": True,
             "description": "Recipient address whose block history is wanted"},
        ],
        "path_params": [],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "content", "type": "List<SendBlockHistoryResponse>", "required": "Optional",
             "description": "Block history entries"},
            {"name": "registerStatus", "type": "String", "required": "Required",
             "description": "Whether the address is currently blocked (example: 'Not blocked')"},
            {"name": "expectedDeleteDate", "type": "NesDateTime", "required": "Required",
             "description": "When the block is expected to be lifted"},
            {"name": "last", "type": "Boolean", "required": "Required", "description": "Last page?"},
            {"name": "totalElements", "type": "Integer", "required": "Required", "description": "Total records"},
            {"name": "totalPages", "type": "Integer", "required": "Required", "description": "Total pages"},
            {"name": "first", "type": "Boolean", "required": "Required", "description": "First page?"},
            {"name": "numberOfElements", "type": "Integer", "required": "Required",
             "description": "Records on this page"},
            {"name": "size", "type": "Integer", "required": "Required", "description": "Records per page"},
            {"name": "number", "type": "Integer", "required": "Required",
             "description": "Current page index, 0 or greater"},
            {"name": "sort", "type": "List<Sort>", "required": "Required", "description": "Sort criteria"},
        ],
        "response_type": "SendBlockHistoryResponse",
        "request_examples": ["targetAddress=test01%40ncp-mail.com"],
        "response_examples": None,
        "example_fragments": [
            '{"content": [{"targetAddress": "test01@ncp-mail.com","actionType": {"label": '
            '"Delete","code": "D"},"actionRequesterType": {"label": "System","code": '
            '"SYSTEM"},"requestDate": {"utc": 1593076560930,"formattedDate": "2020-06-25",'
            '"formattedDateTime": "2020-06-25 18:16:00 930"},"historySid": 62633,'
            '"sendResultCode": null,"sendResultMessage": null},{"targetAddress": '
            '"test01@ncp-mail.com","actionType": {"label": "Create","code": "C"},'
            '"actionRequesterType": {"label": "Other customer","code": "OTHER_CUSTOMER"},'
            '"requestDate": {"utc": 1592471705229,"formattedDate": "2020-06-18",'
            '"formattedDateTime": "2020-06-18 18:15:05 229"},"historySid": 62632,'
            '"sendResultCode": "RECIPIENT_ADDRESS_ERROR","sendResultMessage": "550 5.1.1 '
            '<test01@ncp-mail.com>: Recipient address rejected: User unknown in local '
            'recipient table\\n"}],"registerStatus": "Not blocked","expectedDeleteDate": '
            'null,"last": true,"totalElements": 8,"totalPages": 1,"first": true,'
            '"numberOfElements": 8,"size": 10,"number": 0,"sort": [{"direction": "DESC",'
            '"property": "createUtc","ignoreCase": false,"nullHandling": "NATIVE","asce',
        ],
        "errors": _STD,
        "not_seen": ["end of the response example (inside sort)"],
        "notes": [
            "actionType and actionRequesterType are {label, code} OBJECTS "
            "(HistoryActionType, RequesterType), not strings.",
            "expectedDeleteDate is 'Required' in the table but null in the example.",
            "Page summary ('default time the system blocks sending') does not match the "
            "content (history of one address); old title: '발송 차단 내역 조회'.",
            "Old page: targetAddress 'email 주소 형식'; 200 '차단 내역 조회 완료'.",
        ],
    },

    "createConfig": {
        "method": "POST",
        "path": "/config",
        "summary": "Create/change a per-project setting (only the send-block time for now).",
        "urls": [
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-createconfig",
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-createconfig",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-createconfig",
        ],
        "query": [],
        "path_params": [],
        "body": [
            {"name": "type", "type": "String", "required": True,
             "description": "Setting to create/change; SEND_BLOCK_TIME: send-block time"},
            {"name": "subType", "type": "String", "required": False,
             "description": "Sub-type; enter null for SEND_BLOCK_TIME"},
            {"name": "value", "type": "String", "required": True,
             "description": "Value, interpreted by type/subType/unit; for SEND_BLOCK_TIME an "
                            "integer string, 7 days / 168 hours or more"},
            {"name": "unit", "type": "String", "required": True,
             "description": "Unit of value: DAY | HOUR"},
        ],
        "response_status": 200,
        "response": [
            {"name": "type", "type": "String", "required": "Required", "description": "Setting created/changed"},
            {"name": "subType", "type": "Integer", "required": "Optional", "description": "Sub-type"},
            {"name": "value", "type": "String", "required": "Required", "description": "Value applied"},
        ],
        "response_type": None,
        "request_examples": [{"type": "SEND_BLOCK_TIME", "value": "180", "unit": "HOUR"}],
        "response_examples": None,  # not seen
        "errors": _STD,
        "not_seen": ["response example"],
        "notes": ["subType is String in the request but Integer in the response table "
                  "(all editions)."],
    },

    "getConfig": {
        "method": "GET",
        "path": "/config",
        "summary": "Get a per-project setting (only the send-block time for now).",
        "urls": [
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-getconfig",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-getconfig",
            "https://api-gov.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-getconfig",
        ],
        "query": [
            {"name": "type", "type": "String", "required": True,
             "description": "Setting to get (SEND_BLOCK_TIME); old page: default settings are not returned"},
            {"name": "subType", "type": "String", "required": False,
             "description": "Sub-type (SEND_BLOCK_TIME: null)"},
        ],
        "path_params": [],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "type", "type": "String", "required": "Required", "description": "Setting"},
            {"name": "subType", "type": "Integer", "required": "Optional", "description": "Sub-type"},
            {"name": "value", "type": "String", "required": "Required",
             "description": "Value applied (SEND_BLOCK_TIME: default block retention time)"},
        ],
        "response_type": None,
        "request_examples": ["type=SEND_BLOCK_TIME"],
        "response_examples": [{"type": "SEND_BLOCK_TIME", "subType": None, "value": "180"}],
        "errors": _STD,
        "not_seen": [],
        "notes": ["Response subType: Integer on current pages, String on the old gov KO page.",
                  "Old gov KO: '기본 설정의 경우 조회가 되지 않는다' (a setting never set is not returned)."],
    },

    # ------------------------------------------------ templates and categories
    "getTemplateStructure": {
        "method": "GET",
        "path": "/template",
        "summary": "Get the template/category tree.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-gettemplatestructure.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-gettemplatestructure",
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-gettemplatestructure",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-gettemplatestructure",
        ],
        "query": [
            {"name": "isUse", "type": "Boolean", "required": False,
             "description": "true: only templates/categories in use; false: include unused "
                            "(old page: default is to return all)"},
        ],
        "path_params": [],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "contents", "type": "TemplateStructureResponse", "required": "Optional",
             "description": "Detailed structure of templates and categories"},
        ],
        "response_type": "TemplateStructureResponse",
        "request_examples": ["isUse=true"],
        "response_examples": [
            {"contents": [
                {"sid": 261, "parentSid": -1,
                 "createDate": {"utc": 1589355820663, "formattedDate": "2020-05-13",
                                "formattedDateTime": "2020-05-13 16:43:40 663"},
                 "name": "AD", "isCategory": True, "isUse": True,
                 "subCategories": None,
                 "templates": [
                     {"sid": 262, "parentSid": 261,
                      "createDate": {"utc": 1589355868201, "formattedDate": "2020-05-13",
                                     "formattedDateTime": "2020-05-13 16:44:28 201"},
                      "name": "AD_Template", "isCategory": False, "isUse": True,
                      "subCategories": None, "templates": None},
                 ]},
            ]},
        ],
        "errors": _STD,
        "not_seen": [],
        "notes": [
            "Path is GET /template (not /template-structures).",
            "contents type: EN/JA/gov HTML 'TemplateStructureResponse'; KO .md 'List' "
            "(link); old KO 'List<TemplateStructureResponse>' -- the example is a list.",
            "The example uses the key 'subCategories', but the TemplateStructureResponse "
            "data type spells it 'subCategoris' (all editions).",
            "Example from the old docs/ko page; current pages show the same start.",
        ],
    },

    "getTemplate": {
        "method": "GET",
        "path": "/template/{templateSid}",
        "summary": "Get one saved mail template.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-gettemplate.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-gettemplate",
            "https://api.ncloud-docs.com/ja/ai-application-service-cloudoutboundmailer-gettemplate",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-gettemplate",
        ],
        "query": [],
        "path_params": [
            {"name": "templateSid", "type": "Integer", "required": True,
             "description": "SID of the template (see getTemplateStructure)"},
        ],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "sid", "type": "Integer", "required": "Required", "description": "Template SID"},
            {"name": "createDate", "type": "NesDateTime", "required": "Required", "description": "Creation date"},
            {"name": "name", "type": "String", "required": "Required", "description": "Template name"},
            {"name": "description", "type": "String", "required": "Optional", "description": "Description"},
            {"name": "title", "type": "String", "required": "Required", "description": "Mail subject"},
            {"name": "senderAddress", "type": "String", "required": "Required", "description": "Sender address"},
            {"name": "senderName", "type": "String", "required": "Optional", "description": "Sender name"},
            {"name": "body", "type": "String", "required": "Required", "description": "Mail body"},
            {"name": "isUse", "type": "Boolean", "required": "Required", "description": "In use?"},
            {"name": "category", "type": "Category", "required": "Optional", "description": "Parent category"},
        ],
        "response_type": "Category",
        "request_examples": ["GET /template/258"],
        "response_examples": [
            {"sid": 258,
             "createDate": {"utc": 1589348863431, "formattedDate": "2020-05-13",
                            "formattedDateTime": "2020-05-13 14:47:43 431"},
             "name": "membershipTemplate", "description": "Example of creating a template",
             "title": "[EN] Naver Cloud Platform", "senderAddress": "admin@master.com",
             "senderName": "Admin", "body": "Congratulations on your membership.",
             "isUse": True, "category": {"sid": 252, "parentSid": -1, "name": "testCategory"}},
        ],
        "errors": _STD,
        "not_seen": [],
        "notes": [
            "Old page types templateSid as String; current pages Integer.",
            "KO .md writes createDate as 'Object' with required '-'.",
            "Example from the old page.",
        ],
    },

    "createTemplate": {
        "method": "POST",
        "path": "/template",
        "summary": "Create a mail template.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-createtemplate.md",
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-createtemplate",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-createtemplate",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-createtemplate",
        ],
        "query": [],
        "path_params": [],
        "body": [
            {"name": "categorySid", "type": "String", "required": False, "default": -1,
             "description": "SID of the category to hold the template; -1 (root) default"},
            {"name": "templateName", "type": "String", "required": True,
             "description": "Template name, 1-100 chars of Korean, letters, digits, '.', '_', '-'"},
            {"name": "description", "type": "String", "required": False,
             "description": "Description (Byte 0~300)"},
            {"name": "title", "type": "String", "required": True, "description": "Subject (Byte 1~500)"},
            {"name": "body", "type": "String", "required": True, "description": "Body"},
            {"name": "senderAddress", "type": "String", "required": True, "description": "Sender address"},
            {"name": "senderName", "type": "String", "required": False,
             "description": "Sender name (Byte 0~69)"},
            {"name": "isUse", "type": "Boolean", "required": False,
             "description": "Use the template? (old page: Default true)"},
        ],
        "response_status": 201,
        "response": [
            {"name": "sid", "type": "Integer", "required": "Required", "description": "SID of the new template"},
            {"name": "createDate", "type": "NesDateTime", "required": "Required", "description": "Creation date"},
            {"name": "name", "type": "String", "required": "Required", "description": "Template name"},
        ],
        "response_complete": False,
        "response_type": None,
        "request_examples": [
            {"categorySid": 252, "templateName": "membershipTemplate",
             "description": "Example of creating a template", "title": "[EN] Naver Cloud Platform",
             "body": "Congratulations on your membership.", "senderAddress": "admin@master.com",
             "senderName": "Admin", "isUse": True},
        ],
        "response_examples": [
            {"sid": 258,
             "createDate": {"utc": 1589348863431, "formattedDate": "2020-05-13",
                            "formattedDateTime": "2020-05-13 14:47:43 431"},
             "name": "membershipTemplate", "description": "Example of creating a template",
             "title": "[EN] Naver Cloud Platform", "senderAddress": "admin@master.com",
             "senderName": "Admin", "body": "Congratulations on your membership.",
             "isUse": True, "category": {"sid": 252, "parentSid": -1, "name": "testCategory"}},
        ],
        "errors": "old KO page: 201 created / 400 / 500",
        "not_seen": ["response table rows after 'name' (the example shows the same shape as getTemplate)",
                     "current page's status table"],
        "notes": [
            "categorySid is typed String in the table but the example sends the number 252.",
            "response_status 201 from the old docs/ko page ('201 템플릿 생성 완료').",
        ],
    },

    "updateTemplate": {
        "method": "PUT",
        "path": "/template/{templateSid}",
        "summary": "Edit a template's name, content and other properties.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-updatetemplate.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-updatetemplate",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-updatetemplate",
            "https://api.ncloud-docs.com/release-20240125/docs/ai-application-service-cloudoutboundmailer-updatetemplate",
        ],
        "query": [],
        "path_params": [
            {"name": "templateSid", "type": "Integer", "required": True,
             "description": "SID of the template to edit"},
        ],
        "body": [
            {"name": "templateName", "type": "String", "required": True,
             "description": "Template name (KO/JA: 0~100 chars of Korean, letters, digits, '.', '_', '-')"},
            {"name": "description", "type": "String", "required": False, "description": "Byte 0~300"},
            {"name": "title", "type": "String", "required": True, "description": "Subject (Byte 1~500)"},
            {"name": "body", "type": "String", "required": True, "description": "Body"},
            {"name": "senderAddress", "type": "String", "required": True, "description": "Sender address"},
            {"name": "senderName", "type": "String", "required": False, "description": "Byte 0~69"},
            {"name": "isUse", "type": "Boolean", "required": False, "description": "Use the edited template?"},
        ],
        "response_status": 200,
        "response": [
            {"name": "sid", "type": "Integer", "required": "Required", "description": "SID of the edited template"},
            {"name": "createDate", "type": "NesDateTime", "required": "Required", "description": "Creation date"},
            {"name": "name", "type": "String", "required": "Required", "description": "Template name"},
        ],
        "response_complete": False,
        "response_type": None,
        "request_examples": [
            {"templateName": "membershipTemplateKR", "title": "[KO] Naver Cloud Platform",
             "body": "회원 가입을 환영합니다.", "senderAddress": "admin@master.com",
             "senderName": "Admin", "isUse": True},
        ],
        "response_examples": [
            {"sid": 258,
             "createDate": {"utc": 1589348863431, "formattedDate": "2020-05-13",
                            "formattedDateTime": "2020-05-13 14:47:43 431"},
             "name": "membershipTemplateKR", "description": None,
             "title": "[KO] Naver Cloud Platform", "senderAddress": "admin@master.com",
             "senderName": "Admin", "body": "회원 가입을 환영합니다.", "isUse": True,
             "category": {"sid": 252, "parentSid": -1, "name": "testCategory"}},
        ],
        "errors": "old page: 200 / 400 / 500",
        "not_seen": ["response table rows after 'name'", "current page's status table"],
        "notes": [
            "No categorySid in the update body (move with updateTemplateLocationOrName).",
            "templateName length: '0~100' on update (KO/JA) vs '1~100' on create.",
            "JA example body is 'ご登録いただき誠にありがとうございます。'; KO example (old page) above.",
            "Old page types templateSid String and lists it among the parameters.",
        ],
    },

    "deleteTemplate": {
        "method": "DELETE",
        "path": "/template/{templateSid}",
        "summary": "Delete an unused template (can be restored).",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deletetemplate",
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deletetemplate.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-deletetemplate.md",
        ],
        "query": [],
        "path_params": [
            {"name": "templateSid", "type": "Integer", "required": True,
             "description": "SID of the template to delete"},
        ],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "sid", "type": "Integer", "required": "Required", "description": "SID of the deleted template"},
            {"name": "createDate", "type": "NesDateTime", "required": "Required", "description": "Creation date"},
            {"name": "name", "type": "String", "required": "Required", "description": "Template name"},
            {"name": "description", "type": "String", "required": "Optional", "description": "Description"},
            {"name": "title", "type": "String", "required": "Required", "description": "Subject"},
            {"name": "senderAddress", "type": "String", "required": "Required", "description": "Sender address"},
            {"name": "senderName", "type": "String", "required": "Optional", "description": "Sender name"},
            {"name": "body", "type": "String", "required": "Required", "description": "Body"},
            {"name": "isUse", "type": "Boolean", "required": "Required", "description": "In use?"},
            {"name": "category", "type": "Category", "required": "Optional", "description": "Parent category"},
        ],
        "response_type": "Category",
        "request_examples": ["DELETE /template/258"],
        "response_examples": None,  # not seen
        "errors": _STD,
        "not_seen": ["response example"],
        "notes": ["KO .md writes createDate 'Object' and required '-'."],
    },

    "restoreTemplate": {
        "method": "PUT",
        "path": "/template/{templateSid}/restoration",
        "summary": "Restore a deleted template.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-restoretemplate.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-restoretemplate",
            "https://api-gov.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-restoretemplate",
        ],
        "query": [],
        "path_params": [
            {"name": "templateSid", "type": "Integer", "required": True,
             "description": "SID of the template to restore"},
        ],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "sid", "type": "Integer", "required": "Required", "description": "SID of the restored template"},
            {"name": "createDate", "type": "NesDateTime", "required": "Required", "description": "Creation date"},
            {"name": "name", "type": "String", "required": "Required", "description": "Template name"},
            {"name": "description", "type": "String", "required": "Optional", "description": "Description"},
            {"name": "title", "type": "String", "required": "Required", "description": "Subject"},
            {"name": "senderAddress", "type": "String", "required": "Required", "description": "Sender address"},
            {"name": "senderName", "type": "String", "required": "Optional", "description": "Sender name"},
            {"name": "body", "type": "String", "required": "Required", "description": "Body"},
            {"name": "isUse", "type": "Boolean", "required": "Required", "description": "In use?"},
            {"name": "category", "type": "Category", "required": "Optional",
             "description": "Parent category (row from the old gov KO page)"},
        ],
        "response_type": "Category",
        "request_examples": ["PUT /template/258/restoration"],
        "response_examples": [
            {"sid": 258,
             "createDate": {"utc": 1589348863431, "formattedDate": "2020-05-13",
                            "formattedDateTime": "2020-05-13 14:47:43 431"},
             "name": "membershipTemplateKR", "description": None,
             "title": "[KO] Naver Cloud Platform", "senderAddress": "admin@master.com",
             "senderName": "Admin", "body": "회원 가입을 환영합니다.", "isUse": True,
             "category": {"sid": 252, "parentSid": -1, "name": "testCategory"}},
        ],
        "errors": "old gov page: 200 template restored / 400 / 500",
        "not_seen": ["current page's status table"],
        "notes": ["Path segment is 'restoration'.  Example from the old gov KO page."],
    },

    "updateTemplateLocationOrName": {
        "method": "PUT",
        "path": "/template/{templateSid}/name-location",
        "summary": "Move and/or rename a template.",
        "urls": [
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-updatetemplatelocationorname",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-updatetemplatelocationorname",
        ],
        "query": [],
        "path_params": [
            {"name": "templateSid", "type": "Integer", "required": True,
             "description": "SID of the template to edit"},
        ],
        "body": [
            {"name": "templateName", "type": "String", "required": True,
             "description": "New template name (old page: Max 100)"},
            {"name": "parentSid", "type": "Integer", "required": False,
             "description": "SID of the parent category"},
            {"name": "lowerSid", "type": "Integer", "required": False,
             "description": "SID of the template/category to place below it (positioning; "
                            "ignored if it does not exist)"},
        ],
        "response_status": 200,
        "response": [
            {"name": "sid", "type": "Integer", "required": "Required", "description": "SID of the edited template"},
            {"name": "createDate", "type": "NesDateTime", "required": "Required", "description": "Creation date"},
            {"name": "name", "type": "String", "required": "Required", "description": "Template name"},
            {"name": "description", "type": "String", "required": "Optional", "description": "Description"},
            {"name": "title", "type": "String", "required": "Required", "description": "Subject"},
            {"name": "senderAddress", "type": "String", "required": "Required", "description": "Sender address"},
            {"name": "senderName", "type": "String", "required": "Optional", "description": "Sender name"},
        ],
        "response_complete": False,
        "response_type": None,
        "request_examples": [{"templateName": "AD Template", "parentSid": 252, "lowerSid": 255}],
        "response_examples": [
            {"sid": 259,
             "createDate": {"utc": 1589349277158, "formattedDate": "2020-05-13",
                            "formattedDateTime": "2020-05-13 14:54:37 158"},
             "name": "AD Template", "description": None, "title": "[EN] Naver Cloud Platform",
             "senderAddress": "admin@master.com", "senderName": "Admin",
             "body": "Congratulations on your membership.", "isUse": True,
             "category": {"sid": 252, "parentSid": -1, "name": "testCategory"}},
        ],
        "errors": "old KO page: 200 / 400 / 500",
        "not_seen": ["response rows after senderName (the example also has body, isUse, category)",
                     "current page's status table"],
        "notes": ["Response table and example from the old docs/ko page (the current EN "
                  "page was cut off at 'sid')."],
    },

    "createCategory": {
        "method": "POST",
        "path": "/category",
        "summary": "Create a category to classify templates.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-createcategory.md",
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-createcategory",
            "https://api.ncloud-docs.com/docs/ko/ai-application-service-cloudoutboundmailer-createcategory",
        ],
        "query": [],
        "path_params": [],
        "body": [
            {"name": "categoryName", "type": "String", "required": True,
             "description": "Category name, 1-100 chars of Korean, letters, digits, '.', '_', '-'"},
            {"name": "parentSid", "type": "Integer", "required": False, "default": -1,
             "description": "Parent category SID; -1 (root) default"},
        ],
        "response_status": 201,
        "response": [
            {"name": "sid", "type": "Integer", "required": "Required", "description": "SID of the new category"},
            {"name": "parentSid", "type": "Integer", "required": "Required", "description": "Parent category SID"},
            {"name": "name", "type": "String", "required": "Required", "description": "Category name"},
        ],
        "response_type": None,
        "request_examples": [{"categoryName": "testCategory", "parentSid": -1}],
        "response_examples": [{"sid": 252, "parentSid": -1, "name": "testCategory"}],
        "errors": _STD,
        "not_seen": [],
        "notes": ["Response example from the old docs/ko page (current page cut off after '{\"sid')."],
    },

    "updateCategoryLocationOrName": {
        "method": "PUT",
        "path": "/category/{categorySid}/name-location",
        "summary": "Rename and/or move a category.",
        "page_title": None,  # slug is ...-updatecategory; the title line was not in the excerpt
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-updatecategory",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-updatecategory",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-updatecategory",
        ],
        "query": [],
        "path_params": [
            {"name": "categorySid", "type": "Integer", "required": True,
             "description": "SID of the category to edit"},
        ],
        "body": [
            {"name": "categoryName", "type": "String", "required": False, "description": "New category name"},
            {"name": "parentSid", "type": "Integer", "required": False, "description": "Parent category SID"},
            {"name": "lowerSid", "type": "Integer", "required": False,
             "description": "SID of the template/category to place below it"},
        ],
        "response_status": 200,
        "response": [
            {"name": "sid", "type": "Integer", "required": "Required", "description": "SID of the edited category"},
            {"name": "parentSid", "type": "Integer", "required": "Required", "description": "Parent category SID"},
            {"name": "name", "type": "String", "required": "Required", "description": "Category name"},
        ],
        "response_type": None,
        "request_examples": [{"categoryName": "testCategory", "parentSid": -1, "lowerSid": 254}],
        "response_examples": None,  # not seen
        "errors": _STD,
        "not_seen": ["response example"],
        "notes": ["Page slug is 'updatecategory'.  categoryName is Optional here "
                  "(unlike updateTemplateLocationOrName, where templateName is Required)."],
    },

    "deleteCategory": {
        "method": "DELETE",
        "path": "/category/{categorySid}",
        "summary": "Delete an unused, empty category.",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deletecategory.md",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-deletecategory",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-deletecategory",
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-deletecategory.md",
        ],
        "query": [],
        "path_params": [
            {"name": "categorySid", "type": "Integer", "required": True,
             "description": "SID of the category to delete"},
        ],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "sid", "type": "Integer", "required": "Required", "description": "SID of the deleted category"},
            {"name": "parentSid", "type": "Integer", "required": "Required", "description": "Parent category SID"},
            {"name": "name", "type": "String", "required": "Required", "description": "Category name"},
        ],
        "response_type": None,
        "request_examples": ["DELETE /category/256"],
        "response_examples": [{"sid": 256, "parentSid": 252, "name": "testCategory"}],
        "errors": _STD,
        "not_seen": [],
        "notes": [
            "Only deletable when it holds no template and no sub-category.",
            "The gov .md copy is broken: its summary and method table describe "
            "'PUT /category/{categorySid}/name-location' while its curl is DELETE /category/256.",
        ],
    },

    "createTemplateExportRequest": {
        "method": "POST",
        "path": "/template/export/request",
        "summary": "Start building a JSON backup file of the templates (async).",
        "urls": [
            "https://api.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-createtemplateexportrequest",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-createtemplateexportrequest",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-createtemplateexportrequest",
        ],
        "query": [],
        "path_params": [],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "sid", "type": "Integer", "required": "Required",
             "description": "SID of the backup file (request) created"},
        ],
        "response_type": None,
        "request_examples": ["POST /template/export/request (no body)"],
        "response_examples": [{"sid": 11}],
        "errors": _STD,
        "not_seen": [],
        "notes": ["When done, a notice appears at the top right of the console; download "
                  "with exportTemplate."],
    },

    "getTemplateExportRequestList": {
        "method": "GET",
        "path": "/template/export",
        "summary": "List the template backup-file requests.",
        "urls": [
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-gettemplateexportrequestlist",
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-gettemplateexportrequestlist",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-gettemplateexportrequestlist",
        ],
        "query": [
            {"name": "size", "type": "Integer", "required": False, "default": 10, "description": "Records per page"},
            {"name": "page", "type": "Integer", "required": False, "default": 0,
             "description": "Page index, 0 or greater"},
            {"name": "sort", "type": "String", "required": False, "default": "createUtc",
             "description": "createUtc | sid | statusCode; property(,asc|desc); asc default"},
        ],
        "path_params": [],
        "body": [],
        "response_status": 200,
        "response": [
            {"name": "content", "type": "List<TemplateExportRequestResponse>", "required": "Optional",
             "description": "Request history entries"},
            {"name": "totalElements", "type": "Integer", "required": "Required", "description": "Total records"},
            {"name": "last", "type": "Boolean", "required": "Required", "description": "Last page?"},
            {"name": "totalPages", "type": "Integer", "required": "Required", "description": "Total pages"},
            {"name": "size", "type": "Integer", "required": "Required", "description": "Records per page"},
            {"name": "number", "type": "Integer", "required": "Required", "description": "Current page index"},
            {"name": "sort", "type": "List<Sort>", "required": "Required", "description": "Sort criteria"},
            {"name": "first", "type": "Boolean", "required": "Required", "description": "First page?"},
            {"name": "numberOfElements", "type": "Integer", "required": "Required",
             "description": "Records on this page"},
        ],
        "response_type": "TemplateExportRequestResponse",
        "request_examples": ["size=5&page=0"],
        "response_examples": None,  # not seen
        "errors": _STD,
        "not_seen": ["response example"],
        "notes": [],
    },

    "exportTemplate": {
        "method": "GET",
        "path": "/template/export/{requestId}",
        "summary": "Download the template backup file built by createTemplateExportRequest.",
        "urls": [
            "https://api.ncloud-docs.com/docs/en/ai-application-service-cloudoutboundmailer-exporttemplate",
            "https://api.ncloud-docs.com/docs/ja/ai-application-service-cloudoutboundmailer-exporttemplate",
            "https://api-gov.ncloud-docs.com/docs/ai-application-service-cloudoutboundmailer-exporttemplate",
        ],
        "query": [],
        "path_params": [
            {"name": "requestId", "type": "Integer", "required": True,
             "description": "SID of the backup-file request (createTemplateExportRequest)"},
        ],
        "body": [],
        "response_status": 200,
        "response": [],  # the page has no response-body table: the body is the file
        "response_type": None,
        "response_headers_example": [
            "Content-Type: application/octet-stream;charset=UTF-8",
            "Content-Length: 180",
            "Connection: keep-alive",
            'Content-Disposition: attachment; filename="template_20200513180659.json";',
            "Content-Transfer-Encoding: binary",
        ],
        "request_examples": ["GET /template/export/11"],
        "response_examples": [],
        "errors": _STD,
        "not_seen": [],
        "notes": ["Binary JSON file download; the example shows only headers."],
    },

    "importTemplate": {
        "method": None,
        "path": None,
        "summary": None,
        "urls": [],
        "query": None,
        "path_params": None,
        "body": None,
        "response_status": None,
        "response": None,
        "response_type": None,
        "request_examples": None,
        "response_examples": None,
        "errors": None,
        "not_seen": ["everything: no importTemplate page was found in the docs corpus "
                     "(four targeted queries)"],
        "notes": ["The user guide (cloudoutboundmailer-procedure) mentions template "
                  "import/export 'via console or API', but no API page was visible."],
    },
}

# ---------------------------------------------------------------------------
# Data types (common-apidatatype-* / common-vapidatatype-* pages)
# required: True = "Required"/"Yes", False = "Optional"/"No"
# ---------------------------------------------------------------------------

DATA_TYPES: dict[str, list[dict]] = {
    "AddressBookRequest": [
        {"name": "groupName", "type": "String", "required": True,
         "description": "Recipient group name; no duplicates"},
        {"name": "emailAddresses", "type": "List<String>", "required": False,
         "description": "Email addresses; if omitted only the group is registered; must be email format"},
    ],
    "AddressBookResponse": [
        {"name": "sid", "type": "Integer", "required": True, "description": "Recipient group ID"},
        {"name": "groupName", "type": "String", "required": True, "description": "Recipient group name"},
        {"name": "addressCount", "type": "Integer", "required": True,
         "description": "Number of email addresses in the group"},
    ],
    "AttachFile": [
        {"name": "fileId", "type": "String", "required": True, "description": "File ID"},
        {"name": "fileName", "type": "String", "required": True, "description": "File name"},
        {"name": "fileSize", "type": "Integer", "required": True, "description": "File size (Byte)"},
    ],
    "Category": [
        {"name": "sid", "type": "Long", "required": True, "description": "Category SID"},
        {"name": "parentSid", "type": "Long", "required": True,
         "description": "Parent category SID; -1 means top-level"},
        # sic: the table says Long while the page's own syntax block says String name
        {"name": "name", "type": "Long", "required": True, "description": "Category name"},
    ],
    "CountByStatus": [
        {"name": "status", "type": "EmailStatus", "required": True, "description": "Mail status"},
        {"name": "count", "type": "Integer", "required": True, "description": "Number of mails"},
    ],
    "EmailRecipientType": [
        {"name": "label", "type": "String", "required": True,
         "description": "수신자 | 참조인 | 숨은 참조 (EN: Recipient | Cc | Bcc)"},
        {"name": "code", "type": "String", "required": True, "description": "R | C | B"},
    ],
    "EmailReservationStatus": [
        {"name": "label", "type": "String", "required": True,
         "description": "예약 발송 | 즉시발송 (EN: Reserved delivery | Immediate delivery)"},
        {"name": "code", "type": "String", "required": True, "description": "Y | N"},
    ],
    "EmailStatus": [
        {"name": "label", "type": "String", "required": True,
         "description": "KO: 발송 준비 중 | 발송 준비 | 발송 중 | 발송 성공 | 발송 실패 | 수신 거부 | "
                        "발송 취소 | 일부 실패; EN: Preparing to send | Ready to send | Sending | "
                        "Sent successfully | Failed to send | Unsubscribe | Cancel sending | "
                        "Partial failure"},
        {"name": "code", "type": "String", "required": True, "description": "P | R | I | S | F | U | C | PF"},
    ],
    "HistoryActionType": [
        {"name": "label", "type": "String", "required": True,
         "description": "Label of the action: 생성 | 삭제 (examples use 'Create' / 'Delete')"},
        {"name": "code", "type": "String", "required": True, "description": "C | D"},
    ],
    "MailListResponse": [
        {"name": "requestId", "type": "String", "required": True,
         "description": "Send request ID (one request may hold several mailId)"},
        {"name": "mailId", "type": "String", "required": True, "description": "Mail ID"},
        {"name": "templateSid", "type": "Integer", "required": False, "description": "Template ID"},
        {"name": "templateName", "type": "String", "required": False, "description": "Template name"},
        {"name": "senderAddress", "type": "String", "required": True, "description": "Sender address"},
        {"name": "senderName", "type": "String", "required": False, "description": "Sender name"},
        {"name": "title", "type": "String", "required": True, "description": "Subject"},
        {"name": "emailStatus", "type": "EmailStatus", "required": True, "description": "Send status"},
        {"name": "requestDate", "type": "NesDateTime", "required": True, "description": "Request date"},
        {"name": "sendDate", "type": "NesDateTime", "required": False, "description": "Send completion date"},
        {"name": "reservationStatus", "type": "EmailReservationStatus", "required": True,
         "description": "Reserved send or not"},
        {"name": "advertising", "type": "Boolean", "required": True, "description": "Advertising mail?"},
        {"name": "representativeRecipient", "type": "String", "required": True,
         "description": "Short form of the recipients, e.g. xxx@domain.com(9) for a mail to "
                        "10 people incl. cc/bcc"},
    ],
    "NesDateTime": [
        {"name": "utc", "type": "Long", "required": True, "description": "Milliseconds since the epoch (UTC)"},
        {"name": "formattedDate", "type": "String", "required": True,
         "description": "'yyyy-MM-dd' date in UTC+9"},
        {"name": "formattedDateTime", "type": "String", "required": True,
         "description": "'yyyy-MM-dd HH:mm:ss SSS' time in UTC+9"},
    ],
    "Recipient": [
        {"name": "address", "type": "String", "required": True, "description": "Recipient address"},
        {"name": "name", "type": "String", "required": False, "description": "Recipient name"},
        {"name": "type", "type": "EmailRecipientType", "required": True, "description": "R | C | B"},
        {"name": "received", "type": "Boolean", "required": True, "description": "Received?"},
        {"name": "receivedDate", "type": "NesDateTime", "required": False, "description": "Receipt date"},
        {"name": "status", "type": "EmailStatus", "required": True, "description": "Send status"},
        {"name": "retryCount", "type": "Integer", "required": True, "description": "Resend attempts"},
        {"name": "sendResultMessage", "type": "String", "required": False,
         "description": "Detailed send-result message"},
        {"name": "sendResultCode", "type": "String", "required": False,
         "description": "Send-result code (KO only; missing in EN/JA)"},
        {"name": "sendResultCodeMessage", "type": "String", "required": False,
         "description": "Send-result message (KO only; missing in EN/JA)"},
    ],
    "RecipientForRequest": [
        {"name": "address", "type": "String", "required": True, "description": "Recipient address; email format"},
        {"name": "name", "type": "String", "required": False, "description": "Recipient name, up to 69 chars"},
        {"name": "type", "type": "String", "required": True, "default": "R",
         "description": "R (default) | C (cc) | B (bcc)"},
        {"name": "parameters", "type": "Object", "required": False,
         "description": "Per-recipient substitution parameters: map of substitution ID -> value"},
    ],
    "RecipientGroupFilter": [
        {"name": "andFilter", "type": "Boolean", "required": True,
         "description": "true: AND combination; false: OR combination"},
        {"name": "groups", "type": "List<String>", "required": True,
         "description": "Recipient group names, at most 5"},
    ],
    "RequestListResponse": [
        {"name": "requestId", "type": "String", "required": True, "description": "Send request ID"},
        {"name": "templateSid", "type": "Integer", "required": False, "description": "Template ID"},
        {"name": "templateName", "type": "String", "required": False, "description": "Template name"},
        {"name": "senderAddress", "type": "String", "required": False, "description": "Sender address"},
        {"name": "senderName", "type": "String", "required": False, "description": "Sender name"},
        {"name": "dispatchType", "type": "String", "required": False, "description": "CONSOLE | API"},
        {"name": "emailStatus", "type": "EmailStatus", "required": True, "description": "Send status"},
        {"name": "requestDate", "type": "NesDateTime", "required": True, "description": "Request date"},
        {"name": "sendDate", "type": "NesDateTime", "required": False, "description": "Send completion date"},
        {"name": "reservationDate", "type": "NesDateTime", "required": False, "description": "Reserved date"},
        {"name": "requestCount", "type": "Integer", "required": True,
         "description": "Mails sent; equals recipientCount for individual sends"},
        {"name": "recipientCount", "type": "Integer", "required": True,
         "description": "Recipients + cc + bcc; equal to requestCount for individual sends, "
                        ">= requestCount for general sends"},
    ],
    "RequesterType": [
        {"name": "label", "type": "String", "required": True,
         "description": "고객 | 타 고객 | 시스템 | 관리자 (EN: Customer | Other customer | System | Admin)"},
        {"name": "code", "type": "String", "required": True,
         "description": "CUSTOMER | OTHER_CUSTOMER | SYSTEM | ADMIN"},
    ],
    "SendBlockHistoryResponse": [
        {"name": "targetAddress", "type": "String", "required": True, "description": "Queried address"},
        {"name": "actionType", "type": "HistoryActionType", "required": True, "description": "Action type"},
        {"name": "actionRequesterType", "type": "RequesterType", "required": True,
         "description": "Who requested the action"},
        {"name": "requestDate", "type": "NesDateTime", "required": True, "description": "Registration date"},
        {"name": "sendResultCode", "type": "String", "required": True, "description": "Block code"},
        {"name": "sendResultMessage", "type": "String", "required": True, "description": "Block reason"},
        {"name": "historySid", "type": "Long", "required": True, "description": "Block history ID"},
    ],
    "Sort": [
        {"name": "direction", "type": "String", "required": True, "description": "ASC | DESC"},
        {"name": "property", "type": "String", "required": True, "description": "Sort field name"},
        {"name": "ignoreCase", "type": "Boolean", "required": True, "description": "Case handling when sorting"},
        {"name": "nullHandling", "type": "String", "required": True,
         "description": "NATIVE | NULLS_FIRST | NULLS_LAST"},
        {"name": "ascending", "type": "Boolean", "required": True, "description": "Direction is ASC?"},
        {"name": "descending", "type": "Boolean", "required": True, "description": "Direction is DESC?"},
    ],
    "TemplateBackupStatus": [
        {"name": "label", "type": "String", "required": True,
         "description": "완료 | 만료 | 생성 중 | 대기 (EN: Completed | Expired | Creating | Pending)"},
        {"name": "code", "type": "String", "required": True, "description": "C | E | I | R"},
    ],
    "TemplateExportRequestResponse": [
        {"name": "sid", "type": "Long", "required": True, "description": "Template JSON creation request ID"},
        {"name": "projectSid", "type": "Long", "required": True, "description": "User project ID"},
        {"name": "requestUtc", "type": "NesDateTime", "required": True, "description": "Request time"},
        {"name": "completeUtc", "type": "NesDateTime", "required": False, "description": "File completion time"},
        {"name": "elapsedTime", "type": "String", "required": False, "description": "File build time"},
        {"name": "statusCode", "type": "TemplateBackupStatus", "required": True, "description": "Request status"},
        {"name": "downloadUrl", "type": "String", "required": False, "description": "Download URL of the file"},
    ],
    "TemplateStructureResponse": [
        {"name": "sid", "type": "Long", "required": True, "description": "SID of the template or category"},
        {"name": "parentSid", "type": "Long", "required": True,
         "description": "Parent category SID; -1 means top-level"},
        {"name": "createDate", "type": "NesDateTime", "required": True, "description": "Creation time"},
        {"name": "name", "type": "String", "required": True, "description": "Template or category name"},
        {"name": "isCategory", "type": "Boolean", "required": True,
         "description": "true: category; false: template"},
        {"name": "isUse", "type": "Boolean", "required": True, "description": "In use?"},
        # sic: spelt 'subCategoris' on every edition; the getTemplateStructure example uses 'subCategories'
        {"name": "subCategoris", "type": "List<TemplateStructureResponse>", "required": False,
         "description": "Sub-categories"},
        {"name": "templates", "type": "List<TemplateStructureResponse>", "required": False,
         "description": "Templates below"},
    ],
    "UnsubscribersListResponse": [
        {"name": "address", "type": "String", "required": True, "description": "Unsubscribed address"},
        {"name": "blockDate", "type": "NesDateTime", "required": True, "description": "Unsubscribe registration date"},
        {"name": "isRegByManager", "type": "Boolean", "required": True,
         "description": "true: registered by an admin in the NCP console; false: by the "
                        "recipient through an unsubscribe link"},
    ],
}

# The Java "syntax" block of each data-type page (declaration order and declared types),
# where it differs from or adds to the field table.
DATA_TYPE_SYNTAX: dict[str, list[str]] = {
    "Category": ["Long sid", "Long parentSid", "String name"],
    "MailListResponse": ["String requestId", "NesDateTime requestDate", "String mailId",
                         "Integer templateSid", "String templateName", "String title",
                         "EmailStatus emailStatus", "String senderAddress", "String senderName",
                         "NesDateTime sendDate", "EmailReservationStatus reservationStatus",
                         "Boolean advertising", "String representativeRecipient"],
    "Recipient": ["String address", "String name", "EmailResponseType type", "Boolean received",
                  "NesDateTime receivedDate", "EmailResponseEmailStatus status",
                  "Integer retryCount", "String sendResultMessage", "String sendResultCode",
                  "String sendResultCodeMessage"],
    "RecipientForRequest": ['String address = null', 'String name = null',
                            'String type = "R"', 'Object parameters = null'],
    "RequestListResponse": ["String requestId", "Integer templateSid", "String templateName",
                            "EmailStatus emailStatus", "String senderAddress", "String senderName",
                            "String dispatchType", "NesDateTime requestDate", "NesDateTime sendDate",
                            "NesDateTime reservationDate", "Integer requestCount",
                            "Integer recipientCount"],
    "SendBlockHistoryResponse": ["String targetAddress", "HistoryActionType actionType",
                                 "RequesterType actionRequesterType", "NesDateTime requestDate",
                                 "String sendResultCode", "String sendResultMessage",
                                 "Long historySid"],
    "TemplateStructureResponse": ["Long sid", "Long parentSid", "NesDateTime createDate",
                                  "String name", "Boolean isCategory", "Boolean isUse",
                                  "List subCategoris", "List templates"],
}

DATA_TYPE_NOTES: dict[str, dict] = {
    "AddressBookRequest": {"slug": "common-vapidatatype-nesaddressbookrequest",
                           "notes": ["KO/EN .md render emailAddresses as 'List'; HTML/old: List<String>."]},
    "AddressBookResponse": {"slug": "common-apidatatype-nesaddressbookresponse", "notes": []},
    "AttachFile": {"slug": "common-vapidatatype-nesattachfile", "notes": []},
    "Category": {"slug": "common-vapidatatype-nescategory",
                 "notes": ["'name' is typed Long in the table in every edition (syntax block: String).",
                           "Category.sid/parentSid are Long here but Integer in the operation "
                           "response tables (createCategory etc.).",
                           "JA page with slug common-apidatatype-nesunsubscriberslistcontent.md "
                           "is titled Category (slug mix-up)."]},
    "CountByStatus": {"slug": "common-apidatatype-nescountbystatus", "notes": []},
    "EmailRecipientType": {"slug": "common-vapidatatype-nesrecipienttype",
                           "notes": ["JA labels: 受信者 | CC | BCC."]},
    "EmailReservationStatus": {"slug": "common-apidatatype-nesreservationstatus", "notes": []},
    "EmailStatus": {"slug": "common-apidatatype-nesstatus",
                    "notes": ["The JA page at this slug shows HistoryActionType content "
                              "(作成|削除, C|D) under the title EmailStatus.",
                              "Examples use labels like 'Failed to send' and Korean '일부실패', '발송실패'."]},
    "HistoryActionType": {"slug": "common-apidatatype-neshistoryactiontype",
                          "notes": ["KO describes it as '내역 타입'.  JA labels 作成 | 削除."]},
    "MailListResponse": {"slug": "common-vapidatatype-nesmaillistcontent",
                         "notes": ["A JA HTML page with slug common-apidatatype-geolocation shows this type."]},
    "NesDateTime": {"slug": "common-apidatatype-nesdatetime", "notes": []},
    "Recipient": {"slug": "common-vapidatatype-nesrecipient",
                  "notes": ["EN and JA omit sendResultCode and sendResultCodeMessage.",
                            "Syntax says EmailResponseType / EmailResponseEmailStatus, the table "
                            "EmailRecipientType / EmailStatus."]},
    "RecipientForRequest": {"slug": "common-apidatatype-nesrecipientrequest",
                            "notes": ["EN/JA .md and docs/ko HTML swap the type and required "
                                      "columns ('address | Yes | String').",
                                      "The JA page at this slug shows RecipientGroupFilter content."]},
    "RecipientGroupFilter": {"slug": "common-vapidatatype-nesrecipientgroupfilter",
                             "example": {"andFilter": True, "groups": ["10대", "20대"]},
                             "notes": ["Old docs/ko page: 'Classic 환경에서 이용 가능합니다.'"]},
    "RequestListResponse": {"slug": "common-apidatatype-nesrequestlistcontent",
                            "notes": ["JA HTML page at this slug shows Sort content.",
                                      "The JA page titled RequesterType shows this type's fields."]},
    "RequesterType": {"slug": "common-apidatatype-nesrequestertype",
                      "notes": ["KO .md lists label/code without the value lists (gov KO has them)."]},
    "SendBlockHistoryResponse": {"slug": "common-apidatatype-nessendblockcontent", "notes": []},
    "Sort": {"slug": "common-apidatatype-nessort",
             "notes": ["JA HTML page at this slug shows TemplateBackupStatus."]},
    "TemplateBackupStatus": {"slug": "common-apidatatype-nestemplatebackupstatus", "notes": []},
    "TemplateExportRequestResponse": {"slug": "common-vapidatatype-nestemplateexportrequestlistcontent",
                                      "notes": []},
    "TemplateStructureResponse": {"slug": "common-apidatatype-nestemplatestructurecontent",
                                  "notes": ["Field spelt 'subCategoris' (sic) in table and syntax; "
                                            "the operation example uses 'subCategories'.",
                                            "The JA page at this slug shows UnsubscribersListResponse."]},
    "UnsubscribersListResponse": {"slug": "common-apidatatype-nesunsubscriberslistcontent", "notes": []},
}

# Data types named by a page but never shown: none found besides the ones above.
# (EmailResponseType / EmailResponseEmailStatus appear only in Recipient's syntax block.)

# Data types each operation page links to (from the visible parts of the page).
LINKED_TYPES: dict[str, list[str]] = {
    "createMailRequest": ["RecipientForRequest", "RecipientGroupFilter"],
    "getMailRequestList": ["RequestListResponse", "EmailStatus", "NesDateTime"],
    "getMailRequestStatus": ["NesDateTime", "CountByStatus", "EmailStatus"],
    "getMailList": ["MailListResponse", "EmailStatus", "NesDateTime", "EmailReservationStatus"],
    "getMail": ["NesDateTime", "EmailStatus", "AttachFile", "Recipient", "EmailRecipientType"],
    "createFile": ["AttachFile"],
    "getFile": ["AttachFile"],
    "deleteFile": ["AttachFile"],
    "createAddressBook": ["AddressBookRequest", "AddressBookResponse"],
    "getAddressBook": ["AddressBookResponse"],
    "deleteAddressBook": [],
    "deleteAddress": ["AddressBookResponse"],
    "deleteRecipientGroup": ["AddressBookResponse"],
    "deleteRecipientGroupRelation": ["AddressBookResponse"],
    "deleteRecipientGroupRelationEmpty": ["AddressBookResponse"],
    "getUnsubscribers": ["UnsubscribersListResponse", "NesDateTime", "Sort"],
    "registerUnsubscribers": [],
    "deleteUnsubscribers": [],
    "getSendBlockList": ["SendBlockHistoryResponse", "HistoryActionType", "RequesterType",
                         "NesDateTime", "Sort"],
    "createConfig": [],
    "getConfig": [],
    "getTemplateStructure": ["TemplateStructureResponse", "NesDateTime"],
    "getTemplate": ["NesDateTime", "Category"],
    "createTemplate": ["NesDateTime", "Category"],
    "updateTemplate": ["NesDateTime", "Category"],
    "deleteTemplate": ["NesDateTime", "Category"],
    "restoreTemplate": ["NesDateTime", "Category"],
    "updateTemplateLocationOrName": ["NesDateTime", "Category"],
    "createCategory": [],
    "updateCategoryLocationOrName": [],
    "deleteCategory": [],
    "createTemplateExportRequest": [],
    "getTemplateExportRequestList": ["TemplateExportRequestResponse", "TemplateBackupStatus",
                                     "NesDateTime", "Sort"],
    "exportTemplate": [],
    "importTemplate": [],
}
