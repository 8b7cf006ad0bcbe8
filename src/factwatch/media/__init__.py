"""Images and video: text in pictures (OCR), perceptual hashes, a Hamming index, keyframes.

- ``factwatch.media.ocr.ocr_image(path) -> OcrResult(text, lang)``
- ``factwatch.media.hashing.hash_image(path) -> ImageHashes`` (PDQ + pHash, and mirrors)
- ``factwatch.media.index.HammingIndex`` (multi-index hashing, sub-linear look-ups)
- ``factwatch.media.matcher.MediaMatcher`` (known pictures -> matches with distances)
- ``factwatch.media.video.extract_keyframes(path)`` / ``hash_video(path)`` (ffmpeg)
- ``factwatch.media.refs`` (the images a fact-check carries: ``FactCheck.extra["images"]``)

Heavy imports (Pillow, numpy, pdqhash) happen in the submodules, not here.
"""
