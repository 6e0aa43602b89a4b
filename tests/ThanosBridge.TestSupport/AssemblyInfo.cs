namespace ThanosBridge.TestSupport;
