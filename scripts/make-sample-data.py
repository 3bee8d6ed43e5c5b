#!/usr/bin/env python3
"""Writes scenarios/data/sharegpt-mini.jsonl: 64 made-up conversations in ShareGPT format
(conversations of {"from", "value"} turns) with prompt and reply lengths spread like a chat
workload (short questions, some long documents; replies from a few words to a few hundred).
Deterministic; the committed file is its output. Licence: the project's own (generated text)."""
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


if __name__ == "__main__":
    main()
