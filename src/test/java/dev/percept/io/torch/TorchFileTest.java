package dev.percept.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.percept.PerceptException;
import dev.percept.io.Safetensors;
import dev.percept.io.SafetensorsDtype;
import dev.percept.io.SafetensorsTensor;
import dev.percept.io.StoredTensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * PyTorch files written by torch.save (tools/reference/make_torch_fixtures.py) read back exactly:
 * both formats, shared-storage views, half precision, every wrapper.
 */
class TorchFileTest {
    static final Path FIXTURES = Path.of("src/test/resources/torch");
    static final Path TENSORS = FIXTURES.resolve("tensors");
    static final Path VIT = FIXTURES.resolve("vit");

    @ParameterizedTest
    @ValueSource(strings = {"zip.pth", "zip64.pth", "legacy.pth", "wrapped_state_dict.pth.tar", "wrapped_model.pt",
        "wrapped_module.pth"})
    void everyTensorEqualsTheReferenceExactly(String name) {
        Map<String, StoredTensor> tensors = TorchFile.read(TENSORS.resolve(name)).stateDict(null);
        Safetensors expected = Safetensors.read(TENSORS.resolve("expected.safetensors"));
        assertEquals(expected.tensors().size() + 2, tensors.size(), "float tensors plus num_batches_tracked and mask");
        for (SafetensorsTensor e : expected.tensors()) {
            StoredTensor t = tensors.get(e.name());
            assertArrayEquals(e.shape(), t.shape(), e.name());
            assertArrayEquals(e.toFloats(), t.toFloats(), e.name());
        }
        assertEquals(SafetensorsDtype.F16, tensors.get("half").dtype());
        assertEquals(SafetensorsDtype.BF16, tensors.get("bf16").dtype());
        assertFalse(tensors.get("transposed").isContiguous());
        assertFalse(tensors.get("half_view").isContiguous());
        assertArrayEquals(new long[] {1, 5}, tensors.get("transposed").stride());
        assertEquals(1, tensors.get("column").offset());
        assertEquals(8, tensors.get("k").offset(), "k is rows 2..4 of the shared qkv storage");
        assertEquals(SafetensorsDtype.I64, tensors.get("num_batches_tracked").dtype());
        PerceptException e = assertThrows(PerceptException.class, () -> tensors.get("num_batches_tracked").toFloats());
        assertTrue(e.getMessage().contains("tensor num_batches_tracked in ") && e.getMessage().contains("has dtype I64; weights must be F32, F16 or BF16"),
                e.getMessage());
    }

    @Test
    void halfAndBfloat16StoragesConvertExactly() {
        Map<String, StoredTensor> tensors = TorchFile.read(TENSORS.resolve("low_precision.pth")).stateDict(null);
        Safetensors expected = Safetensors.read(TENSORS.resolve("low_precision_expected.safetensors"));
        assertArrayEquals(expected.tensor("h").toFloats(), tensors.get("h").toFloats());
        assertArrayEquals(expected.tensor("b").toFloats(), tensors.get("b").toFloats());
    }

    @Test
    void modelPrefixModuleVisualSelectsTheVisionTower() {
        Map<String, StoredTensor> tensors = TorchFile.read(TENSORS.resolve("wrapped_model.pt")).stateDict(null);
        assertTrue(tensors.containsKey("a.weight"));
        assertFalse(tensors.keySet().stream().anyMatch(k -> k.contains("token_embedding")), tensors.keySet().toString());
    }

    @Test
    void dinoTrainingCheckpointNeedsAKeyAndNamesTheCandidates() {
        TorchFile file = TorchFile.read(VIT.resolve("dino_checkpoint.pth"));
        PerceptException ambiguous = assertThrows(PerceptException.class, () -> file.stateDict(null));
        assertTrue(ambiguous.getMessage().contains("several state dicts [teacher, student]; choose one with --checkpoint-key"),
                ambiguous.getMessage());
        PerceptException absent = assertThrows(PerceptException.class, () -> file.stateDict("ema"));
        assertTrue(absent.getMessage().contains("no entry 'ema' (--checkpoint-key)")
                && absent.getMessage().contains("[teacher, student, optimizer, dino_loss]"), absent.getMessage());

        Safetensors model = Safetensors.read(VIT.resolve("model.safetensors"));
        Safetensors student = Safetensors.read(VIT.resolve("student.safetensors"));
        assertSameTensors(model, file.stateDict("teacher"));
        assertSameTensors(student, file.stateDict("student"));

        Map<?, ?> root = (Map<?, ?>) file.root();
        Namespace args = (Namespace) root.get("args");
        assertEquals("vit_tiny", args.attributes().get("arch"));
        assertEquals(0.0005, args.attributes().get("lr"));
        assertEquals(3L, root.get("epoch"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zip.pth", "legacy.pth", "views.pth"})
    void vitWeightsMatchTheirSafetensorsCopy(String name) {
        Map<String, StoredTensor> tensors = TorchFile.read(VIT.resolve(name)).stateDict(null);
        assertSameTensors(Safetensors.read(VIT.resolve("model.safetensors")), tensors);
        if (name.equals("views.pth")) {
            assertFalse(tensors.get("blocks.0.attn.proj.weight").isContiguous());
            assertEquals(16, tensors.get("blocks.1.attn.qkv.weight").offset());
        }
    }

    @Test
    void halfWeightsKeepTheirDtype() {
        Map<String, StoredTensor> tensors = TorchFile.read(VIT.resolve("half.pth")).stateDict(null);
        assertTrue(tensors.values().stream().allMatch(t -> t.dtype() == SafetensorsDtype.F16));
        assertSameTensors(Safetensors.read(VIT.resolve("half_expected.safetensors")), tensors);
    }

    static void assertSameTensors(Safetensors expected, Map<String, StoredTensor> actual) {
        assertEquals(expected.tensors().stream().map(SafetensorsTensor::name).sorted().toList(),
                actual.keySet().stream().sorted().toList());
        for (SafetensorsTensor e : expected.tensors()) {
            assertArrayEquals(e.shape(), actual.get(e.name()).shape(), e.name());
            assertArrayEquals(e.toFloats(), actual.get(e.name()).toFloats(), e.name());
        }
    }
}
