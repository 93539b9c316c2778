import json


def model_fn(model_dir):
    return json.load(open(model_dir + "/model.json"))
