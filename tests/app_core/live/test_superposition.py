import numpy as np

from app_core.state.codec import from_query
from app_core.state.superposition import SuperpositionState
from app_core.live.superposition import ToyModelRun
from sae_core.superposition import ToyModelConfig, train_toy_model


def test_the_live_run_trains_what_train_toy_model_trains():
    run = ToyModelRun(ToyModelConfig(), steps_per_second=None)
    start = run.snapshot()
    for n in (1, 499, 1000):
        run.train(n)
    end = run.snapshot()
    w, b = train_toy_model()
    np.testing.assert_allclose(end.w, w) and np.testing.assert_allclose(end.b, b)
    assert end.step == 1500 and end.loss < start.loss / 3
    assert end.kept == 5 and end.in_superposition
    np.testing.assert_allclose(end.gram, w.T @ w)
    assert [s for s, _ in end.curve] == [0, 1500]


def test_dense_features_are_not_in_superposition():
    run = ToyModelRun(ToyModelConfig(feature_probability=1.0), steps_per_second=None)
    run.train(1500)
    snap = run.snapshot()
    assert snap.kept == 2 and not snap.in_superposition


def test_a_played_run_is_paced_and_a_step_is_not():
    import time

    from app_core.live import JobController
    controller = JobController()
    try:
        controller.configure_job("toy", lambda: ToyModelRun(ToyModelConfig(), steps_per_second=200), target_steps=1500)
        started = time.perf_counter()
        controller.step(300)  # Step: at full speed, on the caller's thread
        assert time.perf_counter() - started < 1.0 and controller.snapshot().step == 300
        controller.play()
        started = time.perf_counter()
        while controller.tick().step < 400:
            time.sleep(0.02)
        assert time.perf_counter() - started >= 0.45  # 100 steps at 200 steps/s
    finally:
        controller.close()


def test_the_train_link_describes_data_the_train_page_accepts():
    from app_core.state.training import TrainState
    for state in (SuperpositionState(), SuperpositionState(p=1.0, decay=0.5, features=8)):
        parsed, problems = from_query(TrainState, state.train_query())
        assert problems == []
        cfg = parsed.toy_config()
        assert (cfg.n_features, cfg.d) == (state.features, 2) and parsed.latents >= 2 * state.features
    assert not SuperpositionState().train_query_clamped()
    assert SuperpositionState(p=1.0).train_query_clamped()
