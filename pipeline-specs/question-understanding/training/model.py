"""JointBERT (Chen et al., 2019): intent classification on [CLS] and BIO slot tagging per token."""
import torch
from torch import nn
from transformers import BertModel, BertPreTrainedModel


class JointBERT(BertPreTrainedModel):
    def __init__(self, config, num_intents, num_slots, dropout=0.1, slot_loss_coef=1.0):
        super().__init__(config)
        self.bert = BertModel(config)
        self.dropout = nn.Dropout(dropout)
        self.intent_classifier = nn.Linear(config.hidden_size, num_intents)
        self.slot_classifier = nn.Linear(config.hidden_size, num_slots)
        self.num_intents = num_intents
        self.num_slots = num_slots
        self.slot_loss_coef = slot_loss_coef
        self.post_init()

    def forward(self, input_ids, attention_mask, token_type_ids=None, intent_labels=None, slot_labels=None):
        outputs = self.bert(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        sequence_output, pooled_output = outputs[0], outputs[1]
        intent_logits = self.intent_classifier(self.dropout(pooled_output))
        slot_logits = self.slot_classifier(self.dropout(sequence_output))
        loss = None
        if intent_labels is not None and slot_labels is not None:
            intent_loss = nn.functional.cross_entropy(intent_logits, intent_labels)
            active = attention_mask.view(-1) == 1
            slot_loss = nn.functional.cross_entropy(
                slot_logits.view(-1, self.num_slots)[active],
                slot_labels.view(-1)[active],
                ignore_index=0,  # PAD
            )
            loss = intent_loss + self.slot_loss_coef * slot_loss
        return loss, intent_logits, slot_logits


def encode(tokenizer, chars, max_len):
    """One token per character (Chinese BERT tokenises characters), [CLS]/[SEP] added."""
    encoded = tokenizer(chars, is_split_into_words=True, truncation=True, max_length=max_len,
                        padding="max_length", return_tensors="pt")
    return encoded


def predict(model, tokenizer, questions, intent_labels, slot_labels, max_len=50, device="cpu"):
    model.eval()
    results = []
    with torch.no_grad():
        for question in questions:
            chars = list(question.replace(" ", ""))
            encoded = encode(tokenizer, chars, max_len).to(device)
            _, intent_logits, slot_logits = model(**encoded)
            intent = intent_labels[int(intent_logits.argmax(-1))]
            word_ids = encoded.word_ids(0)
            slot_ids = slot_logits.argmax(-1)[0].tolist()
            tags = ["O"] * len(chars)
            for position, word in enumerate(word_ids):
                if word is not None and word < len(chars):
                    tags[word] = slot_labels[slot_ids[position]]
            results.append({"question": question, "intent": intent, "slots": tags})
    return results
