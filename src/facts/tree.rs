//! Syntax-tree helpers shared by the fact extractors: iterative walks only (a 10k-deep tree
//! must not overflow the stack).

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

/// Calls `visit(node, parent)` for every node of `tree` in pre-order, in one iterative walk
/// (the parent comes from the walk's own stack, not `Node::parent`).
pub fn walk_preorder<'t>(tree: &'t Tree, mut visit: impl FnMut(Node<'t>, Option<Node<'t>>)) {
    let mut stack: Vec<Node<'t>> = Vec::new();
    let mut cursor = tree.walk();
    'outer: loop {
        let node = cursor.node();
        visit(node, stack.last().copied());
        if cursor.goto_first_child() {
            stack.push(node);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'outer;
            }
            if !cursor.goto_parent() {
                break 'outer;
            }
            stack.pop();
        }
    }
}

/// Every node of `tree` in pre-order, with a parent table keyed by node id, built in one
/// iterative walk. (`Node::parent` walks down from the root, so calling it per node is
/// quadratic on deep trees.)
pub fn preorder_with_parents(tree: &Tree) -> (Vec<Node<'_>>, HashMap<usize, Node<'_>>) {
    let mut nodes = Vec::new();
    let mut parents = HashMap::new();
    walk_preorder(tree, |node, parent| {
        if let Some(p) = parent {
            parents.insert(node.id(), p);
        }
        nodes.push(node);
    });
    (nodes, parents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_every_node_with_its_parent() {
        let tree = crate::lang::parse(crate::lang::Lang::Python, "x = f(1)\n").expect("parses");
        let (nodes, parents) = preorder_with_parents(&tree);
        assert_eq!(nodes[0].kind(), "module");
        assert!(!parents.contains_key(&nodes[0].id()));
        for n in &nodes[1..] {
            assert_eq!(
                parents[&n.id()].id(),
                n.parent().expect("has a parent").id()
            );
        }
    }
}
