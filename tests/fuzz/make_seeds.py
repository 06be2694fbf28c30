#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target (tests/fuzz/corpus/<target>/). Re-run after
changing a format; the files are committed. Seeds are small, valid-looking inputs that reach
deep into each decoder; libFuzzer mutates from there."""
import base64, hashlib, json, os, struct

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

def put(target, name, data):
    d = os.path.join(root, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

def tlv(magic, fields):
    out = magic
    for tag, value in fields:
        v = value.encode() if isinstance(value, str) else value
        out += bytes([tag]) + struct.pack(">I", len(v)) + v
    return out

def content(body, title="Ngập nước", contact=None, location=None):
    f = [(1, "a3" * 16), (2, title), (3, body)]
    if location: f += [(4, location[0]), (5, location[1])]
    if contact: f += [(6, contact[0]), (7, contact[1]), (8, contact[2]), (9, contact[3])]
    f += [(10, "1" if contact else "0"), (11, "2026-01"), (12, "1" if location else "0"), (13, "1" if contact else "0")]
    return tlv(b"KRC1", f)

BODY = "Đường Nguyễn Trãi ngập nước mỗi khi mưa lớn. Đề nghị nạo vét cống."

# input engine: [mode, style] then (op, arg) pairs; op%16 < 6 types ASCII arg.
def keys(mode, text):
    out = bytes([mode, 0])
    for ch in text: out += bytes([0, ord(ch)])
    return out
put("input_engine", "telex", keys(1, "Dduwowngf Nguyeenx Traix ngaapj nuwowcs"))
put("input_engine", "vni", keys(2, "Du7o7ng2 Nguye6n4 Trai4"))
put("input_engine", "simple-tones", bytes([3, 1, 0, ord('a'), 9, 1, 10, 0, 7, 0, 11, 2, 8, 0, 14, 5]) + "hoà ".encode() + bytes([12, 0]))
put("input_engine", "maxlen-settext", bytes([1, 0, 15, 5, 14, 12]) + "thuỷ quá gì".encode() + bytes([0, ord('s'), 6, 3, 6, 19]))

for i, s in enumerate(["PAKN-7K3M-000123-X", "pakn7k3m000001x", "HTTPS://TRA.CUU.GOV.VN/T/PAKN-7K3M-000017-Q",
                       "SKGP 7K3M 1234567 A", "PAKN-7K3M-0OO1I2-Z", "PAKN--7K3M..000123 x", "ĐƯỜNG-7K3M"]):
    put("tracking_code", f"code{i}", s)

put("record_content", "anonymous", content(BODY))
put("record_content", "contact", content(BODY, contact=("Nguyễn Văn An", "0912345678", "an@example.vn", "12 Lê Lợi"),
                                          location=("26734", "Hẻm 12 Nguyễn Trãi")))
put("record_content", "empty-body", content(""))

cfg_path = os.path.join(os.path.dirname(root), "..", "..", "assets", "config", "default-config.json")
with open(cfg_path, "rb") as f: cfg = f.read()
put("backend_config", "default", cfg)
put("backend_config", "minimal", json.dumps({"version": "x", "categories": [{"code": "KHAC", "name_vi": "Khác", "name_en": "Other"}]}))
put("backend_config", "not-object", "[1,2,3]")

put("printer_status", "ready", bytes([7, 0x16, 0x12, 0x12]))
put("printer_status", "paper-out", bytes([7, 0x16, 0x12, 0x72, 4, 0x7e]))
put("printer_status", "no-answer", bytes([1, 0x16, 0, 2, 0x32]))

def chunk(s):
    b = s.encode()[:255]
    return bytes([len(b)]) + b
def receipt(flags, centre, code, url, cat, name, phone, rest):
    return (bytes([flags]) + chunk(centre) + (b"" if flags & 1 else chunk("PAKN")) + chunk(code) + chunk(url) +
            chunk("tra.cuu.gov.vn") + bytes([26, 10, 22, 9, 5, 6]) + chunk(cat) + chunk(name) + chunk(phone) +
            chunk("1022") + bytes([10]) + rest.encode())
put("receipt_layout", "normal", receipt(0, "Trung tâm Phục vụ hành chính công phường Sài Gòn", "PAKN-7K3M-000123-X",
                                         "HTTPS://TRA.CUU.GOV.VN/T/PAKN-7K3M-000123-X", "Môi trường, vệ sinh",
                                         "Nguyễn Văn An", "0912345678", BODY))
put("receipt_layout", "58mm-skgp-anonymous", receipt(1 | 4 | 8 | 16, "Trung tâm " * 12, "SKGP-7K3M-1234567-A",
                                                      "https://x/" + "A" * 200, "Khác", "", "", "W" * 300))

rec = {"id": "0b6c1a2e-3f4d-4e5f-8a6b-7c8d9e0f1a2b", "kiosk_id": "7K3M", "sequence": 1,
       "tracking_code": "PAKN-7K3M-000001-8", "type": "PAKN", "category": "MOI_TRUONG", "channel": "kiosk",
       "staff_assisted": False, "language": "vi", "created_at": "2026-11-23T04:05:06.789Z", "clock_synced": False,
       "content_digest": hashlib.sha256(content(BODY)).hexdigest(), "prev_hash": "0" * 64, "hash": "1" * 64,
       "payload_format": "plain", "payload": base64.b64encode(content(BODY)).decode()}
put("proto_decoders", "wire-record", b"\x00" + json.dumps(rec, ensure_ascii=False).encode())
put("proto_decoders", "payload-plain", b"\x01" + content(BODY))
put("proto_decoders", "payload-dict", b"\x09" + content(BODY))
put("proto_decoders", "retry-after-seconds", b"\x02120")
put("proto_decoders", "retry-after-date", b"\x02Wed, 21 Oct 2026 07:28:00 GMT")
put("proto_decoders", "roundtrip", b"\x07" + content(BODY))

put("backend_service", "upload", b"\x00" + json.dumps({"kiosk_id": "7K3M", "records": [rec]}, ensure_ascii=False).encode())
put("backend_service", "status", b"\x01" + b'{"since":"0"}')
put("backend_service", "heartbeat", b"\x02" + json.dumps({"queue_depth": 3, "printer": "ok", "last_error": "Không kết nối"}, ensure_ascii=False).encode())
put("backend_service", "enroll", b"\x03" + b'{"kiosk_id":"7K3M","public_key":"AAAA","token":"K7M3X-1","app_version":"0.1.0"}')
put("backend_service", "staff", b"\x04" + b'{"tracking_code":"PAKN-7K3M-000001-8","status":"forwarded"}')
put("backend_service", "tracking-page", b"\x05PAKN-7K3M-000001-8")
put("backend_service", "open311", b"\x07" + chunk("MOI_TRUONG") + chunk("open") + chunk("2026-01-01") + chunk("2026-12-31"))
put("backend_service", "deep-json", b"\x00" + b"[" * 5000)
