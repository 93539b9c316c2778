"""CasRel-style relation extraction network (Wei et al., ACL 2020), as in the seed's Figure 1.

Characters are embedded, contextualised by a Bi-LSTM and self-attention, the strongest signal
(max pooling) is concatenated to every position, and sigmoid pointer heads mark subject
heads/tails; for a chosen subject, per-predicate heads mark object heads/tails.
"""
import torch
from torch import nn


class CasRel(nn.Module):
    def __init__(self, vocab_size, num_predicates, embedding_dim=128, hidden_dim=128, dropout=0.25):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim // 2, batch_first=True, bidirectional=True)
        self.attention = nn.MultiheadAttention(hidden_dim, num_heads=4, dropout=dropout, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.subject_conv = nn.Conv1d(hidden_dim * 2, hidden_dim, kernel_size=3, padding=1)
        self.subject_heads = nn.Linear(hidden_dim, 2)  # head, tail pointers
        # Each position sees the encoded sentence (2H) and the chosen subject's head and tail (2H each).
        self.object_conv = nn.Conv1d(hidden_dim * 6, hidden_dim, kernel_size=3, padding=1)
        self.object_heads = nn.Linear(hidden_dim, num_predicates * 2)
        self.num_predicates = num_predicates

    def encode(self, tokens):
        mask = tokens.eq(0)
        hidden, _ = self.lstm(self.dropout(self.embedding(tokens)))
        attended, _ = self.attention(hidden, hidden, hidden, key_padding_mask=mask)
        hidden = hidden + attended
        pooled = hidden.masked_fill(mask.unsqueeze(-1), -1e4).max(dim=1, keepdim=True).values
        return torch.cat([hidden, pooled.expand_as(hidden)], dim=-1)

    def predict_subjects(self, encoded):
        features = torch.relu(self.subject_conv(encoded.transpose(1, 2))).transpose(1, 2)
        return torch.sigmoid(self.subject_heads(self.dropout(features)))

    def predict_objects(self, encoded, subject_spans):
        """subject_spans: LongTensor (batch, 2) with the head and tail index of one subject."""
        index = torch.arange(encoded.size(0), device=encoded.device)
        head = encoded[index, subject_spans[:, 0]]
        tail = encoded[index, subject_spans[:, 1]]
        subject = torch.cat([head, tail], dim=-1).unsqueeze(1).expand(-1, encoded.size(1), -1)
        features = torch.cat([encoded, subject], dim=-1)
        features = torch.relu(self.object_conv(features.transpose(1, 2))).transpose(1, 2)
        logits = self.object_heads(self.dropout(features))
        return torch.sigmoid(logits.view(encoded.size(0), encoded.size(1), self.num_predicates, 2))

    def forward(self, tokens, subject_spans):
        encoded = self.encode(tokens)
        return self.predict_subjects(encoded), self.predict_objects(encoded, subject_spans)


def decode(model, tokens, text, predicates, threshold=0.5):
    """Extracts (subject, predicate, object) triplets from one encoded sentence (batch of 1)."""
    encoded = model.encode(tokens)
    subject_probs = model.predict_subjects(encoded)[0]
    heads = (subject_probs[:, 0] > threshold).nonzero().flatten().tolist()
    tails = (subject_probs[:, 1] > threshold).nonzero().flatten().tolist()
    triplets = set()
    for h in heads:
        following = [t for t in tails if t >= h]
        if not following:
            continue
        t = following[0]
        span = torch.tensor([[h, t]], device=tokens.device)
        object_probs = model.predict_objects(encoded, span)[0]
        for p in range(len(predicates)):
            o_heads = (object_probs[:, p, 0] > threshold).nonzero().flatten().tolist()
            o_tails = (object_probs[:, p, 1] > threshold).nonzero().flatten().tolist()
            for oh in o_heads:
                o_following = [ot for ot in o_tails if ot >= oh]
                if o_following:
                    triplets.add((text[h : t + 1], predicates[p], text[oh : o_following[0] + 1]))
    return triplets


def precision_recall_f1(predicted, gold):
    """Micro-averaged over sentences; each argument is a list of triplet sets."""
    correct = sum(len(p & g) for p, g in zip(predicted, gold))
    n_pred = sum(len(p) for p in predicted)
    n_gold = sum(len(g) for g in gold)
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
