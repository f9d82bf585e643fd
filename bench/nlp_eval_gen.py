"""Generate the labelled NLP evaluation set tests/data/nlp_eval.jsonl (seeded, deterministic).

    python -m bench.nlp_eval_gen [--seed 7] [--out tests/data/nlp_eval.jsonl]

Each row: {"id", "lang", "kind", "text", "spans": [{"start", "end", "entity", "vocab"}]}.
`vocab` is "list" when the value is in a shipped word list (recognizers/wordlists/) and
"held_out" otherwise. Person names, company stems and addresses are invented here and are in
no list piimap ships; some job titles and departments are deliberately held out of the word
lists, so the benchmark shows what the patterns and NER add beyond the lists.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from recognizers.gazetteer import read_wordlist

EN_FIRST = [
    "Olivia",
    "Marcus",
    "Priya",
    "Diego",
    "Hannah",
    "Kwame",
    "Sofia",
    "Liam",
    "Aisha",
    "Tomasz",
    "Grace",
    "Mateo",
    "Chloe",
    "Ravi",
    "Elena",
    "Owen",
    "Nadia",
    "Felix",
    "Ingrid",
    "Samuel",
]
EN_LAST = [
    "Whitfield",
    "Okonkwo",
    "Lindqvist",
    "Castellano",
    "Brennan",
    "Harrington",
    "Nakamura",
    "Delacroix",
    "Fitzgerald",
    "Moreau",
    "Kowalski",
    "Abernathy",
    "Sandoval",
    "Thornton",
    "Vasquez",
    "Ellison",
    "Mbeki",
    "Gallagher",
    "Petrov",
    "Ashford",
]
EN_ORG_STEM = [
    "Bluefin",
    "Northwind",
    "Silverline",
    "Redwood",
    "Quantum Harbor",
    "Brightpath",
    "Ironbridge",
    "Cobalt Peak",
    "Evergreen Logistics",
    "Summit Ridge",
    "Orchid Lane",
    "Blue Heron",
    "Granite State",
    "Lakeshore",
    "Copperleaf",
]
EN_ORG_SUFFIX = ["Inc.", "Ltd", "LLC", "GmbH", "Corp.", "Holdings", "Co., Ltd."]
EN_TITLES_HELD = [
    "Head of Customer Experience",
    "Senior Payroll Specialist",
    "Director of Clinical Research",
    "VP of Partnerships",
    "Lead Data Engineer",
    "Principal Security Architect",
]
EN_DEPTS_HELD = [
    "Customer Care Department",
    "Clinical Research Division",
    "Platform Team",
    "Payments Team",
    "Field Services Department",
]
US_STREETS = [
    "Maple Avenue",
    "Harbor Boulevard",
    "Cedar Lane",
    "Lakeview Drive",
    "Elm Street",
    "Mission Road",
]
US_CITIES = [
    ("Springfield", "IL", "62704"),
    ("Portland", "OR", "97205"),
    ("Austin", "TX", "78701"),
    ("Madison", "WI", "53703"),
    ("Raleigh", "NC", "27601"),
]

JA_SURNAME = [
    "高橋",
    "渡辺",
    "伊藤",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山口",
    "松本",
    "井上",
    "木村",
    "清水",
    "森田",
    "池田",
    "橋本",
]
JA_GIVEN = [
    "美咲",
    "健一",
    "大輔",
    "陽菜",
    "翔太",
    "由美",
    "直樹",
    "彩",
    "誠",
    "恵子",
    "拓海",
    "真由美",
]
JA_KANA_SUR = ["タカハシ", "ワタナベ", "イトウ", "ナカムラ", "コバヤシ", "カトウ"]
JA_KANA_GIV = ["ミサキ", "ケンイチ", "ダイスケ", "ヒナ", "ショウタ", "ユミ"]
JA_ORG_STEM = [
    "北斗システムズ",
    "みらい電機",
    "青葉物産",
    "東洋精工",
    "さくらネット",
    "大和ソリューションズ",
    "光陽化学",
]
JA_TITLES_HELD = ["技師長", "編集長", "統括マネージャー", "主任技師"]
JA_DEPTS_HELD = ["品質保証部", "海外営業部", "生産技術課", "デジタル推進室", "人材開発本部"]
JA_PREF_CITY = [
    ("東京都", "千代田区", "丸の内"),
    ("大阪府", "大阪市北区", "梅田"),
    ("北海道", "札幌市中央区", "大通西"),
    ("福岡県", "福岡市博多区", "博多駅前"),
    ("神奈川県", "横浜市西区", "高島"),
]

NEGATIVE_EN = [
    "2026-03-02 09:20:44 INFO crm.sync ok=true records={n} duration_ms={m}",
    "Deploy of release {n} finished in March with Docker and Redis upgrades.",
    "Error: Connection refused while calling the Kubernetes API on port {m}",
    "Cache warmed for {n} keys; next refresh scheduled on Monday.",
    "  at com.example.billing.InvoiceService.post(InvoiceService.java:{n})",
    "User clicked Export CSV on the Reports page ({n} rows).",
]
NEGATIVE_JA = [
    "処理が正常に終了しました（{n}件）",
    "2026-03-02 09:20:44 INFO バッチ処理 完了 件数={n}",
    "会議室を{n}時から予約しました。",
    "全部で{n}件のデータを移行しました。",
]


class Row:
    """A text under construction with gold spans."""

    def __init__(self) -> None:
        self.text = ""
        self.spans: list[dict[str, Any]] = []

    def add(self, s: str, entity: str | None = None, vocab: str = "held_out") -> Row:
        if entity:
            self.spans.append(
                {
                    "start": len(self.text),
                    "end": len(self.text) + len(s),
                    "entity": entity,
                    "vocab": vocab,
                }
            )
        self.text += s
        return self


def _lists() -> dict[str, list[str]]:
    return {
        "title_en": [t for t in read_wordlist("job_titles_en.txt") if " " in t],
        "title_ja": [t for t in read_wordlist("job_titles_ja.txt") if len(t) >= 2],
        "dept_en": [d for d in read_wordlist("departments_en.txt") if " " in d or "&" in d],
        "dept_ja": [
            d for d in read_wordlist("departments_ja.txt") if d.endswith(("部", "課", "室"))
        ],
    }


def _pick_title(rng: random.Random, lang: str, lists: dict[str, list[str]]) -> tuple[str, str]:
    if rng.random() < 0.3:
        return rng.choice(EN_TITLES_HELD if lang == "en" else JA_TITLES_HELD), "held_out"
    return rng.choice(lists[f"title_{lang}"]), "list"


def _pick_dept(rng: random.Random, lang: str, lists: dict[str, list[str]]) -> tuple[str, str]:
    if rng.random() < 0.3:
        return rng.choice(EN_DEPTS_HELD if lang == "en" else JA_DEPTS_HELD), "held_out"
    return rng.choice(lists[f"dept_{lang}"]), "list"


def _en(rng: random.Random, lists: dict[str, list[str]]) -> Row:
    person = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
    org = f"{rng.choice(EN_ORG_STEM)} {rng.choice(EN_ORG_SUFFIX)}"
    title, tv = _pick_title(rng, "en", lists)
    dept, dv = _pick_dept(rng, "en", lists)
    city, st, zp = rng.choice(US_CITIES)
    addr = f"{rng.randint(10, 9999)} {rng.choice(US_STREETS)}, {city}, {st} {zp}"
    k = rng.randrange(8)
    r = Row()
    if k == 0:
        r.add("Call with ").add(person, "PERSON").add(" from ").add(org, "ORGANIZATION").add(
            " about the renewal."
        )
    elif k == 1:
        r.add(f"2026-03-0{rng.randint(1, 9)} 10:{rng.randint(10, 59)}:00 INFO note: ").add(
            person, "PERSON"
        )
        r.add(" asked for a refund on order ").add(str(rng.randint(1000, 9999)))
    elif k == 2:
        r.add(person, "PERSON").add(" was promoted to ").add(title, "JOB_TITLE", tv).add(" in the ")
        r.add(dept, "DEPARTMENT", dv).add(" group.")
    elif k == 3:
        r.add("name=").add(person, "PERSON").add(" title=").add(title, "JOB_TITLE", tv).add(
            " dept="
        )
        r.add(dept, "DEPARTMENT", dv)
    elif k == 4:
        r.add("Please ship the contract to ").add(person, "PERSON").add(", ").add(
            addr, "ADDRESS"
        ).add(".")
    elif k == 5:
        r.add("Escalated to ").add(dept, "DEPARTMENT", dv).add("; ").add(person, "PERSON").add(", ")
        r.add(title, "JOB_TITLE", tv).add(", will reply.")
    elif k == 6:
        r.add("Invoice ").add(str(rng.randint(100, 999))).add(" was sent to ").add(
            org, "ORGANIZATION"
        )
        r.add(" and approved by ").add(person, "PERSON").add(".")
    else:
        r.add("Meeting notes: ").add(person, "PERSON").add(" (").add(org, "ORGANIZATION").add(
            ") joined as "
        )
        r.add(title, "JOB_TITLE", tv).add(".")
    return r


def _ja(rng: random.Random, lists: dict[str, list[str]]) -> Row:
    if rng.random() < 0.25:
        person = f"{rng.choice(JA_KANA_SUR)} {rng.choice(JA_KANA_GIV)}"
    else:
        sep = rng.choice(["", " ", "\u3000"])
        person = f"{rng.choice(JA_SURNAME)}{sep}{rng.choice(JA_GIVEN)}"
    stem = rng.choice(JA_ORG_STEM)
    org = rng.choice([f"株式会社{stem}", f"{stem}株式会社", f"(株){stem}"])
    title, tv = _pick_title(rng, "ja", lists)
    dept, dv = _pick_dept(rng, "ja", lists)
    pref, city, town = rng.choice(JA_PREF_CITY)
    addr = (
        f"〒{rng.randint(100, 999)}-{rng.randint(1000, 9999)} "
        f"{pref}{city}{town}{rng.randint(1, 9)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}"
    )
    k = rng.randrange(8)
    r = Row()
    if k == 0:
        r.add(org, "ORGANIZATION").add("の").add(person, "PERSON").add(
            "様より、契約更新についてお問い合わせ。"
        )
    elif k == 1:
        r.add("担当：").add(person, "PERSON").add("（").add(dept, "DEPARTMENT", dv).add("）")
    elif k == 2:
        r.add(person, "PERSON").add("さんが").add(dept, "DEPARTMENT", dv).add("の").add(
            title, "JOB_TITLE", tv
        )
        r.add("に就任しました。")
    elif k == 3:
        r.add("送付先：").add(addr, "ADDRESS").add(" ").add(org, "ORGANIZATION").add(" ").add(
            person, "PERSON"
        ).add(" 様")
    elif k == 4:
        r.add("所属：").add(dept, "DEPARTMENT", dv).add("　役職：").add(title, "JOB_TITLE", tv)
    elif k == 5:
        r.add(f"2026-03-0{rng.randint(1, 9)} 10:00:00 INFO 問い合わせ受付 顧客={stem} 氏名：").add(
            person, "PERSON"
        )
    elif k == 6:
        r.add("本件は").add(dept, "DEPARTMENT", dv).add("の").add(person, "PERSON").add(
            "さんに確認を依頼しました。"
        )
    else:
        r.add(org, "ORGANIZATION").add("　").add(title, "JOB_TITLE", tv).add("　").add(
            person, "PERSON"
        )
    return r


# -- hold-out variant: pools and templates written after the tuning on the main set and
# never tuned on (python -m bench.nlp_eval_gen --variant holdout) --------------------------
H_EN_FIRST = [
    "Beatrice",
    "Arjun",
    "Camille",
    "Desmond",
    "Yuki",
    "Rafael",
    "Leona",
    "Bartholomew",
    "Zainab",
    "Henrik",
    "Imogen",
    "Kofi",
    "Mireille",
    "Thaddeus",
    "Valentina",
]
H_EN_LAST = [
    "Pemberton",
    "Achebe",
    "Rousseau",
    "Quinlan",
    "Oyelaran",
    "Stavros",
    "Haverford",
    "Iwasaki",
    "Montgomery",
    "Bjornsson",
    "Carrington",
    "Adeyemi",
    "Lockhart",
    "Varga",
]
H_EN_ORG = [
    "Tidewater Instruments",
    "Falconcrest Media",
    "Juniper Freight",
    "Starling Biotech",
    "Meridian Foods",
    "Ashgrove Capital",
    "Kestrel Robotics",
    "Pinecone Labs",
]
H_EN_TITLES = [
    "Chief Revenue Officer",
    "Senior Product Designer",
    "Head of Talent Acquisition",
    "Payroll Manager",
    "Lead Backend Developer",
    "Director of Facilities",
]
H_EN_DEPTS = [
    "Talent Acquisition Department",
    "Internal Audit",
    "Investor Relations",
    "Growth Team",
    "Treasury",
]
H_JA_SURNAME = ["長谷川", "村上", "近藤", "石川", "斎藤", "坂本", "遠藤", "青木", "藤田", "西村"]
H_JA_GIVEN = ["智子", "浩二", "結衣", "隆", "さくら", "亮", "千尋", "和也"]
H_JA_ORG = [
    "株式会社ハヤブサ通信",
    "東邦メディカル株式会社",
    "(株)つばさ食品",
    "有限会社山吹工房",
    "合同会社ミナトデザイン",
]
H_JA_TITLES = ["代表取締役社長", "執行役員", "課長代理", "支店長", "シニアマネージャー", "経理担当"]
H_JA_DEPTS = ["経理部", "情報システム部", "法人営業部", "広報室", "総務課", "物流管理課"]


def _holdout(rng: random.Random, lang: str, lists: dict[str, list[str]]) -> Row:
    listed = {x for v in lists.values() for x in v}
    r = Row()
    if lang == "en":
        person = f"{rng.choice(H_EN_FIRST)} {rng.choice(H_EN_LAST)}"
        org = f"{rng.choice(H_EN_ORG)} {rng.choice(['Inc.', 'Ltd', 'LLC', 'Corporation'])}"
        title = rng.choice(H_EN_TITLES)
        dept = rng.choice(H_EN_DEPTS)
        k = rng.randrange(5)
        if k == 0:
            r.add("Spoke with ").add(person, "PERSON").add(", the new ").add(
                title, "JOB_TITLE", _v(title, listed)
            )
            r.add(" at ").add(org, "ORGANIZATION").add(", on Tuesday.")
        elif k == 1:
            r.add("[ticket 4411] reassigned to ").add(person, "PERSON").add(" (").add(
                dept, "DEPARTMENT", _v(dept, listed)
            ).add(")")
        elif k == 2:
            r.add("According to ").add(person, "PERSON").add(", ").add(org, "ORGANIZATION")
            r.add(" will move its office next quarter.")
        elif k == 3:
            r.add("position: ").add(title, "JOB_TITLE", _v(title, listed)).add(
                "; department: "
            ).add(dept, "DEPARTMENT", _v(dept, listed))
        else:
            r.add("Thanks, ").add(person, "PERSON").add(" -- ").add(
                title, "JOB_TITLE", _v(title, listed)
            )
    else:
        person = f"{rng.choice(H_JA_SURNAME)}{rng.choice(['', ' '])}{rng.choice(H_JA_GIVEN)}"
        org = rng.choice(H_JA_ORG)
        title = rng.choice(H_JA_TITLES)
        dept = rng.choice(H_JA_DEPTS)
        k = rng.randrange(5)
        if k == 0:
            r.add("お世話になっております。").add(org, "ORGANIZATION").add("の").add(
                person, "PERSON"
            ).add("です。")
        elif k == 1:
            r.add("【異動】").add(person, "PERSON").add("（").add(
                dept, "DEPARTMENT", _v(dept, listed)
            ).add("）")
        elif k == 2:
            r.add(person, "PERSON").add("様（").add(org, "ORGANIZATION").add(" ").add(
                title, "JOB_TITLE", _v(title, listed)
            ).add("）")
        elif k == 3:
            r.add("部署：").add(dept, "DEPARTMENT", _v(dept, listed)).add(" 役職：").add(
                title, "JOB_TITLE", _v(title, listed)
            )
        else:
            r.add("先日、").add(person, "PERSON").add("さんと打ち合わせをしました。")
    return r


def _v(value: str, listed: set[str]) -> str:
    return "list" if value in listed else "held_out"


def generate_holdout(seed: int = 11, n: int = 120, n_neg: int = 20) -> list[dict[str, Any]]:
    """The hold-out rows: other pools and templates, never used for tuning."""
    rng = random.Random(seed)
    lists = _lists()
    lists["all_en"] = read_wordlist("job_titles_en.txt") + read_wordlist("departments_en.txt")
    lists["all_ja"] = read_wordlist("job_titles_ja.txt") + read_wordlist("departments_ja.txt")
    rows: list[dict[str, Any]] = []
    for lang in ("en", "ja"):
        for _ in range(n):
            r = _holdout(rng, lang, lists)
            rows.append({"lang": lang, "kind": "positive", "text": r.text, "spans": r.spans})
    negs = [
        "Scheduled maintenance window starts Sunday at 02:00 UTC.",
        "Retrying upload of report_{n}.pdf (attempt {m})",
        "バックアップが完了しました。所要時間 {n} 秒",
        "設定ファイルを再読み込みしました（{n}項目）",
    ]
    for i in range(n_neg):
        text = negs[i % len(negs)].format(n=rng.randint(2, 999), m=rng.randint(1, 5))
        rows.append(
            {"lang": "ja" if i % 4 >= 2 else "en", "kind": "negative", "text": text, "spans": []}
        )
    for i, row in enumerate(rows):
        row["id"] = i
    return rows


def generate(
    seed: int = 7, n_en: int = 160, n_ja: int = 160, n_neg: int = 60
) -> list[dict[str, Any]]:
    """The evaluation rows (deterministic for a seed)."""
    rng = random.Random(seed)
    lists = _lists()
    rows: list[dict[str, Any]] = []
    for lang, make, n in (("en", _en, n_en), ("ja", _ja, n_ja)):
        for _ in range(n):
            r = make(rng, lists)
            rows.append({"lang": lang, "kind": "positive", "text": r.text, "spans": r.spans})
    for i in range(n_neg):
        tmpl = rng.choice(NEGATIVE_EN if i % 2 == 0 else NEGATIVE_JA)
        text = tmpl.format(n=rng.randint(2, 999), m=rng.randint(10, 9999))
        rows.append(
            {"lang": "en" if i % 2 == 0 else "ja", "kind": "negative", "text": text, "spans": []}
        )
    for i, row in enumerate(rows):
        row["id"] = i
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--variant", choices=["main", "holdout"], default="main")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if args.variant == "holdout":
        rows = generate_holdout(args.seed if args.seed != 7 else 11)
        args.out = args.out or "tests/data/nlp_eval_holdout.jsonl"
    else:
        rows = generate(args.seed)
        args.out = args.out or "tests/data/nlp_eval.jsonl"
    with Path(args.out).open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {args.out}")


if __name__ == "__main__":
    main()
