#!/usr/bin/env python3
"""Writes the sample data the shipped scenarios use, deterministically (the committed files are
its output; licence: the project's own, generated text):
- scenarios/data/sharegpt-mini.jsonl: 64 made-up conversations in ShareGPT format
  (conversations of {"from", "value"} turns) with prompt and reply lengths spread like a chat
  workload (short questions, some long documents; replies from a few words to a few hundred).
- scenarios/data/mooncake-mini.jsonl: a 200-request trace in Mooncake's format (timestamp ms,
  input_length, output_length, hash_ids of 512-token blocks) over about 17 s, with bursts and
  three popular shared prefixes."""
import json
import random

WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at which "
         "but have an had they you were one all we can her has there been if more when will would who "
         "so no latency token stream server model queue batch prefill decode cache request user answer "
         "question summary document table report benchmark throughput").split()


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def main():
    rng = random.Random(20261202)
    with open("scenarios/data/sharegpt-mini.jsonl", "w") as out:
        for i in range(64):
            prompt = int(rng.lognormvariate(4.0, 1.0)) + 4      # median ~55 words, some long
            reply = int(rng.lognormvariate(4.3, 0.8)) + 2       # median ~75 words
            turns = [{"from": "human", "value": text(rng, min(prompt, 1500))},
                     {"from": "gpt", "value": text(rng, min(reply, 600))}]
            if i % 5 == 0:  # a follow-up turn, as real conversations have; only the first pair is used
                turns += [{"from": "human", "value": text(rng, 12)}, {"from": "gpt", "value": text(rng, 30)}]
            out.write(json.dumps({"id": f"mini-{i:03d}", "conversations": turns}) + "\n")


def trace():
    rng = random.Random(17)
    t = 0
    popular = [[0, 1, 2], [0, 1, 3], [10, 11]]
    next_block = 100
    with open("scenarios/data/mooncake-mini.jsonl", "w") as out:
        for i in range(200):
            t += int(rng.expovariate(1 / 100.0)) if i % 40 < 30 else int(rng.expovariate(1 / 25.0))
            ids = list(rng.choice(popular)) if rng.random() < 0.6 else []
            extra = rng.randint(0, 3)
            ids += list(range(next_block, next_block + extra))
            next_block += extra
            if not ids:
                ids = [next_block]
                next_block += 1
            length = 512 * (len(ids) - 1) + rng.randint(32, 512)
            out.write(json.dumps({"timestamp": t, "input_length": length,
                                  "output_length": rng.randint(8, 300), "hash_ids": ids}) + "\n")


if __name__ == "__main__":
    main()
    trace()
