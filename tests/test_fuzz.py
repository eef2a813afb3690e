"""Fuzzing, on the machinery's corpus: hypothesis writes curated files, valid and broken, and the build
must either succeed or stop with a PipelineError naming what is wrong: never an unhandled exception."""

import shutil

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support import FIXTURES, ROOT

from scripts.errors import PipelineError, PipelineErrors
from scripts.package.assemble import assemble
from scripts.read.curation import read_curation
from scripts.read.schema import Schema

CORPUS = FIXTURES / "mini"
STEM = "100_joint_sea_2019_begins"
SEED = (CORPUS / "seeds" / f"{STEM}.txt").read_text()
GOOD = (CORPUS / "curation" / f"{STEM}.yaml").read_text()
SHA = yaml.safe_load(GOOD)["seed_sha256"]
SCHEMA = Schema(ROOT)
TABLES = ("exercises", "sources", "participants", "statements", "counts")
FIELDS = sorted({f["name"] for t in TABLES for f in SCHEMA.fields(t)})
EXERCISES = ["joint-sea-2019", "joint-sea-2018", "Not A Slug", "vostok-2022"]
RULES = [r["rule_id"] for r in SCHEMA.rows("rules")] + ["no-such-rule"]
REGISTER = "joint-sea-2019:\njoint-sea-2018:\n"
FORCES = "Chinese and Russian naval forces"
FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Quotes that really are in the seed (some unique, some not), and text that is not.
seed_quotes = st.builds(lambda i, n: SEED[i : i + n].strip() or "x", st.integers(0, len(SEED) - 1), st.integers(1, 60))
unique_quotes = st.sampled_from(
    [
        "April 29, 2019",
        "on Monday",
        "near Qingdao, a port city in east China",
        "13 ships",
        "involves 13 ships, two submarines and about 2,000 troops",
        "said navy spokesman Liang Yang",
        f"{FORCES} began the Joint Sea-2019 exercise",
    ]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 3000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    seed_quotes,
    unique_quotes,
    st.sampled_from(["2019-04-29", "2019-02-30", "CHN", "RUS", "XXX", "host", "<b>x</b>", "about"]),
)
quotes = st.one_of(unique_quotes, seed_quotes, st.lists(unique_quotes, max_size=3), scalars)
claims = st.one_of(
    scalars,
    st.fixed_dictionaries(
        {"value": scalars, "quote": quotes},
        optional={
            "inference": scalars,
            "note": scalars,
            "according_to": scalars,
            "bogus": scalars,
            "rule": st.one_of(st.sampled_from(RULES), scalars),
            "basis": st.one_of(st.just("outside"), scalars),
        },
    ),
    st.lists(scalars, max_size=3),
)
count = st.fixed_dictionaries({}, optional={"number": claims, "qualifier": claims})
counts = st.dictionaries(
    st.sampled_from(["troops", "ships", "tanks", "submarines"]), st.one_of(scalars, count), max_size=2
)
field_maps = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), claims, max_size=6)
participants = st.dictionaries(
    st.sampled_from(["CHN", "RUS", "XXX", "chn", "IND"]),
    st.one_of(
        st.none(),
        scalars,
        field_maps.map(lambda d: d | {"quote": FORCES}),
        counts.map(lambda c: {"quote": FORCES, "counts": c}),
    ),
    max_size=3,
)
exercise = st.one_of(
    st.none(),
    scalars,
    field_maps,
    field_maps.flatmap(lambda d: participants.map(lambda p: d | {"participants": p})),
    field_maps.flatmap(lambda d: counts.map(lambda c: d | {"counts": c})),
    field_maps.map(lambda d: d | {"coordinates": {"geonameid": 1797929, "quote": "near Qingdao, a port city"}}),
)
statements = st.lists(
    st.one_of(
        scalars,
        st.fixed_dictionaries(
            {
                "statement_id": st.one_of(st.sampled_from(["s1", "s2", "Bad Id"]), scalars),
                "quote": st.one_of(seed_quotes, scalars),
            },
            optional={
                "exercise_id": st.sampled_from(EXERCISES + [None]),
                "same_as": st.sampled_from(["s1", "s2", "nope"]),
                "speaker": claims,
                "organization": claims,
            },
        ),
    ),
    max_size=4,
)
documents = st.fixed_dictionaries(
    # Mostly well-formed at the top, so that the deeper checks (claims, quotes, assembly) are reached.
    {"seed_sha256": st.one_of(st.just(SHA), st.just(SHA), st.just(SHA), scalars)},
    optional={
        "source": st.one_of(field_maps, field_maps, scalars),
        "exercises": st.one_of(
            st.dictionaries(st.sampled_from(EXERCISES[:2]), exercise, max_size=2),
            st.dictionaries(st.sampled_from(EXERCISES), exercise, max_size=3),
            scalars,
        ),
        "statements": st.one_of(statements, scalars),
    },
)
yaml_texts = st.one_of(
    documents.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)
choices = st.fixed_dictionaries(
    {
        "choose": st.dictionaries(
            st.sampled_from(["status", "name", "participants.RUS.role", "counts.all.troops.number", "bogus"]),
            st.one_of(scalars, st.fixed_dictionaries({"value": scalars, "because": scalars})),
        )
    }
)
registers = st.one_of(
    st.dictionaries(st.sampled_from(EXERCISES), st.one_of(st.none(), scalars, choices), max_size=3), scalars
)


def billion_laughs(depth, width):
    """Anchors and aliases nested `depth` levels, each `width` wide: expanded, width**depth items."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


# YAML that is not plain data: anchors and aliases (in the file, and grafted onto a real one),
# nesting thousands of levels deep, and keys that are not text (lists, mappings, null, floats, booleans).
hostile = st.one_of(
    st.builds(billion_laughs, st.integers(1, 12), st.integers(2, 9)),
    st.builds(lambda v: GOOD + f"extra: &x {v}\nmore: *x\n", st.sampled_from(["1", "[a, b]", "{a: 1}"])),
    st.builds(
        lambda d, o, c: o * d + "x" + c * d,
        st.integers(30, 20_000),
        st.sampled_from(["[", "{a: ", "- "]),
        st.sampled_from(["]", "}", ""]),
    ),
    st.builds(
        lambda key, at: GOOD.replace("\nsource:", f"\n{key}: 1\nsource:") if at else f"{key}: 1\n" + GOOD,
        st.sampled_from(["? [a, b]", "? {a: 1}", "null", "~", "1.5", "true", "!!python/object:os.system", "<<", "''"]),
        st.booleans(),
    ),
    st.builds(
        lambda tag: GOOD.replace("seed_sha256: ", f"seed_sha256: {tag} ", 1),
        st.sampled_from(["!!binary", "!!python/name:os.system", "!custom", "!!set", "!!omap"]),
    ),
)


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "seeds").mkdir()
    (root / "curation").mkdir()
    shutil.copytree(ROOT / "schema", root / "schema")
    shutil.copy2(CORPUS / "seeds" / f"{STEM}.txt", root / "seeds")
    (root / "curation" / "exercises.yaml").write_text(REGISTER)
    return root


def run_curation(root):
    try:
        articles, register = read_curation(root, SCHEMA)
        assemble(SCHEMA, articles, register, root / "curation" / "exercises.yaml")
        event("built")
    except (PipelineError, PipelineErrors) as e:
        event("stopped: " + str(e.errors[0] if isinstance(e, PipelineErrors) else e).split(": ")[-1][:25])
        for err in e.errors if isinstance(e, PipelineErrors) else [e]:
            assert err.file is not None, f"an error without a file: {err}"
            assert 0 < len(str(err)) < 5000, "a message must name the problem, never carry a whole value"


@settings(max_examples=300, **FUZZ)
@given(text=yaml_texts)
def test_any_curation_file_ends_in_success_or_a_named_error(fuzz_root, text):
    (fuzz_root / "curation" / f"{STEM}.yaml").write_text(text, encoding="utf-8", errors="surrogateescape")
    run_curation(fuzz_root)


@settings(max_examples=100, **FUZZ)
@given(data=st.binary(max_size=300))
def test_any_bytes_end_in_success_or_a_named_error(fuzz_root, data):
    (fuzz_root / "curation" / f"{STEM}.yaml").write_bytes(data)
    run_curation(fuzz_root)


@settings(max_examples=100, **FUZZ)
@given(register=registers)
def test_any_register_ends_in_success_or_a_named_error(fuzz_root, register):
    (fuzz_root / "curation" / f"{STEM}.yaml").write_text(GOOD)
    (fuzz_root / "curation" / "exercises.yaml").write_text(yaml.safe_dump(register))
    try:
        run_curation(fuzz_root)
    finally:
        (fuzz_root / "curation" / "exercises.yaml").write_text(REGISTER)


@settings(max_examples=150, **FUZZ)
@given(text=hostile)
def test_yaml_that_is_not_plain_data_ends_in_a_named_error(fuzz_root, text):
    (fuzz_root / "curation" / f"{STEM}.yaml").write_text(text, encoding="utf-8")
    run_curation(fuzz_root)
