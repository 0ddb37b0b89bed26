"""Convert the LIAR data set (../shared/data/liar) into a claimdb/1 document, for imports and searches.

Each LIAR row becomes a statement by its speaker (a person, with the speaker's party as an
affiliation) in a source named after the row's context ("a mailer", "a floor speech"), and a
claim with the statement's text whose status comes from PolitiFact's label. LIAR is research
data: it is read from ../shared/data at run time and never copied into the repository.

Usage: python benchmarks/liar_to_claimdb.py [DATA_DIR] > liar.json
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

STATUS = {"true": "confirmed", "mostly-true": "corroborated", "half-true": "disputed",
          "barely-true": "disputed", "false": "refuted", "pants-fire": "refuted"}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str, limit: int) -> str:
    return CONTROL.sub(" ", text).strip()[:limit]


def convert(data_dir: Path) -> dict[str, object]:
    actors: dict[str, dict[str, object]] = {}
    parties: dict[str, dict[str, object]] = {}
    sources: dict[str, dict[str, object]] = {}
    affiliations, statements, claims = [], [], []
    for split in ("train", "valid", "test"):
        with open(data_dir / f"{split}.tsv", encoding="utf-8", newline="") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 14:
                    continue
                rid, label, text, _subjects, speaker, job, _state, party = row[:8]
                context = clean(row[13], 400) or "unknown context"
                text = clean(text, 20_000)
                if not text or not speaker or label not in STATUS:
                    continue
                if speaker not in actors:
                    name = clean(speaker.replace("-", " ").title(), 500)
                    actors[speaker] = {"id": f"p:{speaker}", "name": name, "kind": "person",
                                       "description": clean(job, 20_000) or None,
                                       "aliases": [{"name": speaker, "language": "en"}]}
                    if party and party != "none":
                        if party not in parties:
                            parties[party] = {"id": f"party:{party}", "name": party.replace("-", " ").title(),
                                              "kind": "organization", "aliases": []}
                        affiliations.append({"id": f"f:{speaker}", "member_id": f"p:{speaker}",
                                             "organization_id": f"party:{party}", "role": "member"})
                if context not in sources:
                    sources[context] = {"id": f"s:{len(sources)}", "title": context, "kind": "other", "body": ""}
                claims.append({"id": f"c:{rid}", "text": text, "status": STATUS[label]})
                statements.append({"id": f"t:{rid}", "source_id": sources[context]["id"],
                                   "speaker_id": f"p:{speaker}", "text": text, "quote_type": "paraphrase",
                                   "claims": [{"claim_id": f"c:{rid}", "stance": "asserts", "certainty": "certain"}]})
    return {"format": "claimdb/1", "actors": [*actors.values(), *parties.values()], "affiliations": affiliations,
            "sources": list(sources.values()), "statements": statements, "claims": claims,
            "accusations": [], "contradictions": []}


if __name__ == "__main__":
    here = Path(__file__).resolve().parent.parent
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent / "shared" / "data" / "liar"
    json.dump(convert(data), sys.stdout, ensure_ascii=False)
