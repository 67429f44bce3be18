"""DermLink's classifier training: PyTorch fine-tuning, calibration and ONNX export (`python3 -m dermlink_ml`)."""
