"""Fuzzing: hypothesis writes curated files, valid and broken, and the build must either
succeed or stop with a PipelineError naming what is wrong: never an unhandled exception."""
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings, strategies as st

from support import FIXTURES, ROOT
from scripts.package.assemble import assemble
from scripts.read.curation import read_curation
from scripts.errors import PipelineError, PipelineErrors
from scripts.read.schema import Schema

CORPUS = FIXTURES / "corpus"
STEM = "003_8aed447154efcc44"
SEED = (CORPUS / "seeds" / f"{STEM}.txt").read_text()
GOOD = (CORPUS / "curation" / f"{STEM}.yaml").read_text()
SHA = yaml.safe_load(GOOD)["seed_sha256"]
SCHEMA = Schema(ROOT)
FIELDS = sorted({f["name"] for t in ("exercises", "sources", "participants", "statements") for f in SCHEMA.fields(t)})
EXERCISES = ["zapad-interaction-2021", "sco-exercises-2021", "Not A Slug", "vostok-2022"]

# Quotes that really are in the seed (some unique, some not), and text that is not.
seed_quotes = st.builds(lambda i, n: SEED[i:i + n].strip() or "x", st.integers(0, len(SEED) - 1), st.integers(1, 60))
unique_quotes = st.sampled_from(["August 10, 2021", "Monday", "Ningxia Hui autonomous region", "Su-30SM fighters",
                                 "More than 10,000 troops are taking part in the five-day Zapad/Interaction 2021 drills in northwestern China's"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 3000), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=20), seed_quotes, unique_quotes, st.sampled_from(["2021-08-09", "2021-02-30", "CHN", "RUS", "XXX", "host", "<b>x</b>"]))
claims = st.one_of(
    scalars,
    st.fixed_dictionaries({"value": scalars, "quote": st.one_of(unique_quotes, seed_quotes, st.lists(unique_quotes, max_size=3), scalars)},
                          optional={"inference": scalars, "note": scalars, "bogus": scalars}),
    st.lists(scalars, max_size=3),
)
field_maps = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), claims, max_size=6)
participants = st.dictionaries(st.sampled_from(["CHN", "RUS", "XXX", "chn", "IND"]),
                               st.one_of(st.none(), scalars, field_maps.map(lambda d: d | {"quote": "Russia and China"})), max_size=3)
exercise = st.one_of(st.none(), scalars, field_maps, field_maps.flatmap(lambda d: participants.map(lambda p: d | {"participants": p})),
                     field_maps.map(lambda d: d | {"coordinates": {"geonameid": 1786657, "quote": "Ningxia Hui autonomous region"}}))
statements = st.lists(st.one_of(scalars, st.fixed_dictionaries(
    {"statement_id": st.one_of(st.sampled_from(["s1", "s2", "Bad Id"]), scalars), "quote": st.one_of(seed_quotes, scalars)},
    optional={"exercise_id": st.sampled_from(EXERCISES + [None]), "same_as": st.sampled_from(["s1", "s2", "nope"]),
              "speaker": claims, "organization": claims})), max_size=4)
documents = st.fixed_dictionaries(
    # Mostly well-formed at the top, so that the deeper checks (claims, quotes, assembly) are reached.
    {"seed_sha256": st.one_of(st.just(SHA), st.just(SHA), st.just(SHA), scalars)},
    optional={"source": st.one_of(field_maps, field_maps, scalars),
              "exercises": st.one_of(st.dictionaries(st.sampled_from(EXERCISES[:2]), exercise, max_size=2),
                                     st.dictionaries(st.sampled_from(EXERCISES), exercise, max_size=3), scalars),
              "statements": st.one_of(statements, scalars)})
yaml_texts = st.one_of(documents.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
                       st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1")))


def billion_laughs(depth, width):
    """Anchors and aliases nested `depth` levels, each `width` wide: expanded, width**depth items."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


# YAML that is not plain data: anchors and aliases (in the file, and grafted onto a real one),
# nesting thousands of levels deep, and keys that are not text (lists, mappings, null, floats, booleans).
hostile = st.one_of(
    st.builds(billion_laughs, st.integers(1, 12), st.integers(2, 9)),
    st.builds(lambda k, v: GOOD + f"extra: &x {v}\nmore: *x\n" + ("" if k else ""), st.booleans(), st.sampled_from(["1", "[a, b]", "{a: 1}"])),
    st.builds(lambda d, o, c: o * d + "x" + c * d, st.integers(30, 20_000), st.sampled_from(["[", "{a: ", "- "]), st.sampled_from(["]", "}", ""])),
    st.builds(lambda key, at: GOOD.replace("\nsource:", f"\n{key}: 1\nsource:") if at else f"{key}: 1\n" + GOOD,
              st.sampled_from(["? [a, b]", "? {a: 1}", "null", "~", "1.5", "true", "!!python/object:os.system", "<<", "''"]), st.booleans()),
    st.builds(lambda tag: GOOD.replace("seed_sha256: ", f"seed_sha256: {tag} ", 1),
              st.sampled_from(["!!binary", "!!python/name:os.system", "!custom", "!!set", "!!omap"])),
)


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "seeds").mkdir()
    (root / "curation").mkdir()
    shutil.copytree(ROOT / "schema", root / "schema")
    shutil.copy2(CORPUS / "seeds" / f"{STEM}.txt", root / "seeds")
    (root / "curation" / "exercises.yaml").write_text("zapad-interaction-2021:\nsco-exercises-2021:\n")
    return root


def run_curation(root):
    try:
        articles, register = read_curation(root, SCHEMA)
        assemble(SCHEMA, articles, register, root / "curation" / "exercises.yaml")
        event("built")
    except (PipelineError, PipelineErrors) as e:
        event("stopped: " + str(e.errors[0] if isinstance(e, PipelineErrors) else e).split(": ")[-1][:25])
        for err in (e.errors if isinstance(e, PipelineErrors) else [e]):
            assert err.file is not None, f"an error without a file: {err}"
            assert 0 < len(str(err)) < 5000, "a message must name the problem, never carry a whole value"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=yaml_texts)
def test_any_curation_file_ends_in_success_or_a_named_error(fuzz_root, text):
    (fuzz_root / "curation" / f"{STEM}.yaml").write_text(text, encoding="utf-8", errors="surrogateescape")
    run_curation(fuzz_root)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_end_in_success_or_a_named_error(fuzz_root, data):
    (fuzz_root / "curation" / f"{STEM}.yaml").write_bytes(data)
    run_curation(fuzz_root)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(register=st.one_of(st.dictionaries(st.sampled_from(EXERCISES), st.one_of(st.none(), scalars, st.fixed_dictionaries(
    {"choose": st.dictionaries(st.sampled_from(["status", "name", "participants.RUS.role", "bogus"]),
                               st.one_of(scalars, st.fixed_dictionaries({"value": scalars, "because": scalars})))})), max_size=3), scalars))
def test_any_register_ends_in_success_or_a_named_error(fuzz_root, register):
    (fuzz_root / "curation" / f"{STEM}.yaml").write_text(GOOD)
    (fuzz_root / "curation" / "exercises.yaml").write_text(yaml.safe_dump(register))
    try:
        run_curation(fuzz_root)
    finally:
        (fuzz_root / "curation" / "exercises.yaml").write_text("zapad-interaction-2021:\nsco-exercises-2021:\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=hostile)
def test_yaml_that_is_not_plain_data_ends_in_a_named_error(fuzz_root, text):
    (fuzz_root / "curation" / f"{STEM}.yaml").write_text(text, encoding="utf-8")
    run_curation(fuzz_root)
