"""tasscorpus: sentences side — segmentation, encoders, the aligner, difference flags."""
