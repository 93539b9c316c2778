print("preprocess")
