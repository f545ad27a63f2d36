"""Maps that grow all night: they answer as a dict does, however many comments come."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from server.growth import SPAN_BITS, IdMap, Shards


def test_an_id_map_answers_as_a_dict_across_many_spans() -> None:
    rng = random.Random(3)
    ids, plain = IdMap[str](), dict[int, str]()
    next_id = 1
    for step in range(250_000):
        roll = rng.random()
        if roll < 0.6:  # a new comment: ids come in order, as the store gives them
            ids[next_id] = plain[next_id] = f"comment {next_id}"
            next_id += 1
        elif roll < 0.75:  # shown again: a new value for an id already there
            key = rng.randrange(1, next_id)
            if key in plain:
                ids[key] = plain[key] = f"shown again at {step}"
        elif roll < 0.9:  # taken down, or never there
            key = rng.randrange(1, next_id + 5)
            assert ids.pop(key, None) == plain.pop(key, None)
        else:
            key = rng.randrange(1, next_id + 5)
            assert (key in ids) == (key in plain)
            assert ids.get(key) == plain.get(key)
        assert len(ids) == len(plain)
    assert next_id > 4 << SPAN_BITS  # the comments filled several spans
    assert sorted(ids.values()) == sorted(plain.values())
    assert all(ids[key] == value for key, value in plain.items())


def test_an_id_map_pops_as_a_dict_does() -> None:
    ids = IdMap[int]()
    ids[7] = 70
    assert ids.pop(7) == 70 and len(ids) == 0 and 7 not in ids
    with pytest.raises(KeyError):
        ids.pop(7)
    assert ids.pop(7, -1) == -1 and ids.get(7) is None
    assert "7" not in ids  # not an id at all


def test_shards_keep_each_key_in_one_map_and_share_keys_out() -> None:
    shards = Shards[dict[str, int]](dict)
    for n in range(16_000):
        key = f"client:{n:032x}"
        shards.of(key)[key] = n
    assert all(shards.of(f"client:{n:032x}")[f"client:{n:032x}"] == n for n in range(16_000))
    sizes = Counter({index: len(held) for index, held in enumerate(shards.maps)})
    assert sum(sizes.values()) == 16_000
    average = 16_000 / len(shards.maps)
    assert all(0.8 * average < size < 1.2 * average for size in sizes.values())
